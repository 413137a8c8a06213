"""How well the laboratoire's clustering groups unmet questions into needs.

Reads labelled sets of unmet questions (default: the tuning sets
bench/unmet-needs.yaml and bench/unmet-needs-tune*.yaml,
then every held-out
bench/unmet-needs-heldout*.yaml, each reported apart and marked as tuning or
held-out: only tuning sets may guide a change), stores nothing,
runs the review's own clustering on them as the bot would have recorded them
(redacted, normalised with the knowledge base's lexicon) and prints:

- purity: share of questions whose cluster's majority need is their need
  (1.0 = no cluster mixes needs);
- split needs: share of true needs whose questions land in more than one
  cluster (0 % = every need is one cluster), with the strays listed;
- fragmented needs: share of true needs that show as two rows or more of at
  least two of their questions each (a lone stray is a row of 1 at the bottom
  of the report; a fragment is a need the laboratoire would count twice);
- the labels the clustering gives to each cluster;
- beyond words: the questions that share no content stem and no everyday
  concept with any other question of their need, and the needs holding one.
  No grouping on words can keep such a need whole: only new words in
  `knowledge/mots-du-quotidien.yaml` can. It is the floor of « needs split »
  for this lexicon, apart from how well the grouping itself does;
- with --singletons, needs asked once absorbed: every set's needs hold
  several questions, so a rule that pulls any lone question into the group
  nearest to it only gains there, while a real backlog is full of needs asked
  once, which it would hide inside another need's count. Each need of a set
  in turn (a third of them at a time) is cut to its first question, and the
  share of those lone questions that land in another need's group is the
  cost such a rule pays (0 % = every need asked once stays a row of its own).

Targets (issue #13): purity >= 0.9, split needs <= 10 %.
Run: python bench/clusters.py [FILE ...] [--knowledge DIR] [--quiet] [--singletons]
     python bench/clusters.py --sweep [TUNING FILE ...]   (threshold x concept weight; held-out sets refused)
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))  # bench/, for provenance.py

from provenance import provenance  # noqa: E402

# The tuning sets first (thresholds, lexicon and rules are chosen on them), then every held-out set
# there is (unmet-needs-heldout*.yaml: written before tuning, never tuned on), each reported apart.
TUNING_SETS = [
    ROOT / "bench" / "unmet-needs.yaml",
    ROOT / "bench" / "unmet-needs-tune.yaml",
    ROOT / "bench" / "unmet-needs-tune-2.yaml",
    ROOT / "bench" / "unmet-needs-tune-3.yaml",
    ROOT / "bench" / "unmet-needs-tune-4.yaml",
    ROOT / "bench" / "unmet-needs-tune-5.yaml",
    ROOT / "bench" / "unmet-needs-tune-6.yaml",
    ROOT / "bench" / "unmet-needs-tune-7.yaml",
    ROOT / "bench" / "unmet-needs-tune-8.yaml",
    ROOT / "bench" / "unmet-needs-tune-9.yaml",
    ROOT / "bench" / "unmet-needs-tune-10.yaml",
]
HELDOUT_SETS = sorted((ROOT / "bench").glob("unmet-needs-heldout*.yaml"), key=lambda p: (len(p.name), p.name))
DEFAULT_SETS = TUNING_SETS + HELDOUT_SETS
PURITY_TARGET = 0.9
SPLIT_TARGET = 0.10


def _imports():
    """The review's own clustering and the matcher's normaliser."""
    from bot.knowledge import load_knowledge
    from bot.laboratoire.clustering import cluster as plain_cluster
    from bot.laboratoire.meaning import concept_index
    from bot.storage.redact import redact_normalized
    from bot.storage.store import UnmetQuestion
    from bot.understanding.normalize import Lexicon, Normalizer

    def cluster(questions, knowledge: Path):
        return plain_cluster(questions, concepts=concept_index(knowledge))

    return cluster, load_knowledge, Lexicon, Normalizer, redact_normalized, UnmetQuestion


@dataclass
class Figures:
    questions: int
    needs: int
    clusters: int
    purity: float
    split: int
    fragmented: int
    strays: list[tuple[str, str, str]]  # (need, question, label of the cluster it went to)
    mixed: list[tuple[str, Counter]]  # (label, needs in it) for impure clusters
    labels: dict[str, str]  # need -> label of its largest cluster
    wordless: int = 0  # questions sharing no stem nor concept with any other of their need
    wordless_needs: int = 0  # needs holding such a question: split whatever the grouping
    singletons: tuple[int, int] | None = None  # (needs asked once absorbed by another need, needs asked once)

    @property
    def split_share(self) -> float:
        return self.split / self.needs if self.needs else 0.0


def load_set(path: Path) -> list[tuple[str, str]]:
    """[(need, question)] from a YAML list of {need, questions}."""
    pairs = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        for question in item["questions"]:
            pairs.append((str(item["need"]), str(question)))
    return pairs


def measure(pairs: list[tuple[str, str]], knowledge: Path) -> Figures:
    cluster, load_knowledge, Lexicon, Normalizer, redact_normalized, UnmetQuestion = _imports()
    kb = load_knowledge(knowledge).kb
    normalize = Normalizer(Lexicon(kb.lexicon))
    questions = [
        UnmetQuestion(
            i, "2026-11-02", "2026-W45", None, "telegram", text, redact_normalized(text, normalize(text)), None, 0, None
        )
        for i, (_, text) in enumerate(pairs, 1)
    ]
    truth = {i: need for i, (need, _) in enumerate(pairs, 1)}
    text_of = {i: text for i, (_, text) in enumerate(pairs, 1)}
    needs = cluster(questions, knowledge)
    label_of = lambda n: getattr(n, "label", None) or n.representative  # noqa: E731
    cluster_of: dict[int, int] = {}
    majority = 0
    mixed = []
    for index, need in enumerate(needs):
        counts = Counter(truth[q] for q in need.question_ids)
        majority += counts.most_common(1)[0][1]
        if len(counts) > 1:
            mixed.append((label_of(need), counts))
        for q in need.question_ids:
            cluster_of[q] = index
    by_need: dict[str, Counter] = defaultdict(Counter)
    for q, need in truth.items():
        by_need[need][cluster_of[q]] += 1
    strays, labels = [], {}
    for need, spread in by_need.items():
        main = spread.most_common(1)[0][0]
        labels[need] = label_of(needs[main])
        for q, c in cluster_of.items():
            if truth[q] == need and c != main:
                strays.append((need, text_of[q], label_of(needs[c])))
    wordless, wordless_needs = beyond_words(questions, truth, knowledge)
    return Figures(
        wordless=wordless,
        wordless_needs=wordless_needs,
        questions=len(pairs),
        needs=len(by_need),
        clusters=len(needs),
        purity=majority / len(pairs) if pairs else 1.0,
        split=sum(1 for spread in by_need.values() if len(spread) > 1),
        fragmented=sum(1 for spread in by_need.values() if sum(1 for n in spread.values() if n >= 2) > 1),
        strays=strays,
        mixed=mixed,
        labels=labels,
    )


def beyond_words(questions, truth: dict[int, str], knowledge: Path) -> tuple[int, int]:
    """(questions sharing no content stem nor concept with another question of their need, needs holding one)."""
    from bot.laboratoire.meaning import concept_index, concepts, content_stems
    from bot.understanding.normalize import fold

    index = concept_index(knowledge)
    tokens: dict[str, list[set[str]]] = defaultdict(list)
    for question in questions:
        key = fold(question.normalized or question.question)
        tokens[truth[question.id]].append(set(content_stems(key, index=index)) | set(concepts(key, index)))
    alone, needs = 0, 0
    for rows in tokens.values():
        lonely = sum(1 for i, own in enumerate(rows) if not any(own & other for j, other in enumerate(rows) if j != i))
        alone += lonely
        needs += lonely > 0
    return alone, needs


SINGLETON_ROUNDS = 3  # a third of a set's needs are cut to one question at a time, the others kept whole


def singletons_absorbed(pairs: list[tuple[str, str]], knowledge: Path) -> tuple[int, int]:
    """(needs asked once that landed in another need's group, needs asked once): see the module's docstring."""
    order = list(dict.fromkeys(need for need, _ in pairs))
    absorbed = total = 0
    for offset in range(SINGLETON_ROUNDS):
        single = {need for i, need in enumerate(order) if i % SINGLETON_ROUNDS == offset}
        kept, seen = [], set()
        for need, question in pairs:
            if need in single:
                if need in seen:
                    continue
                seen.add(need)
            kept.append((need, question))
        figures = measure(kept, knowledge)
        absorbed += sum(1 for _, counts in figures.mixed for need in counts if need in single)
        total += len(single)
    return absorbed, total


def role(path: Path) -> str:
    """Whether a set may guide tuning: the held-out ones are only ever measured."""
    return "held-out, never tuned on" if path.name.startswith("unmet-needs-heldout") else "tuning"


def report(name: str, figures: Figures, quiet: bool, kind: str = "") -> None:
    ok = figures.purity >= PURITY_TARGET and figures.split_share <= SPLIT_TARGET
    print(
        f"{name}{f' [{kind}]' if kind else ''}: {figures.questions} questions, {figures.needs} needs "
        f"-> {figures.clusters} clusters"
    )
    print(f"  purity       {figures.purity:.3f}   (target >= {PURITY_TARGET})")
    print(
        f"  needs split  {figures.split}/{figures.needs} = {100 * figures.split_share:.1f} %"
        f"   (target <= {100 * SPLIT_TARGET:.0f} %)   {'OK' if ok else 'BELOW TARGET'}"
    )
    print(
        f"  fragmented   {figures.fragmented}/{figures.needs} = "
        f"{100 * figures.fragmented / max(1, figures.needs):.1f} %"
    )
    print(
        f"  beyond words {figures.wordless}/{figures.questions} questions share no word nor concept with "
        f"their need's others: {figures.wordless_needs}/{figures.needs} needs split whatever the grouping"
    )
    if quiet:
        return
    for label, counts in figures.mixed:
        print(f"  mixed cluster « {label} »: {dict(counts)}")
    for need, question, label in figures.strays:
        print(f"  stray [{need}] « {question} » -> « {label} »")
    print("  labels: " + "; ".join(f"{need} = « {label} »" for need, label in sorted(figures.labels.items())))


SWEEP_THRESHOLDS = (0.8, 0.825, 0.85, 0.875, 0.9)
SWEEP_CONCEPT_WEIGHTS = (0.6, 0.75, 0.9, 1.0, 1.2)


def sweep(knowledge: Path, paths: list[Path]) -> None:
    """Purity and split per (threshold, concept weight) on tuning sets: how the constants were chosen.

    Never run on a held-out set (refused in `main`): what it shows decides
    the constants. The cell of the constants in use is marked with « * »;
    « ok » marks the cells meeting both targets on every set, so the choice
    can be read as the middle of a plateau rather than a lucky cell.
    """
    import functools

    import bot.laboratoire.clustering as clustering
    import bot.laboratoire.meaning as meaning

    sets = [(path.name, load_set(path)) for path in paths]
    original = meaning.group_keys
    try:
        for threshold in SWEEP_THRESHOLDS:
            for weight in SWEEP_CONCEPT_WEIGHTS:
                clustering.group_keys = functools.partial(original, threshold=threshold, concept_weight=weight)
                cells, meets = [], True
                for name, pairs in sets:
                    f = measure(pairs, knowledge)
                    cells.append(f"{name} {f.purity:.3f} / {100 * f.split_share:4.1f} %")
                    meets = meets and f.purity >= PURITY_TARGET and f.split_share <= SPLIT_TARGET
                in_use = threshold == meaning.THRESHOLD and weight == meaning.CONCEPT_WEIGHT
                print(
                    f"{'*' if in_use else ' '} threshold {threshold:<5} concept weight {weight:<4} "
                    f"{'ok' if meets else '  '}  " + "   ".join(cells),
                    flush=True,
                )
    finally:
        clustering.group_keys = original


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=None)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    parser.add_argument("--sweep", action="store_true", help="grid of constants on the tuning sets only")
    parser.add_argument(
        "--singletons", action="store_true", help="also how many needs asked once join another need (3 runs a set)"
    )
    args = parser.parse_args()
    if args.sweep:
        paths = args.sets or TUNING_SETS
        held_out = [p.name for p in paths if role(p) != "tuning"]
        if held_out:
            print(f"--sweep chooses constants: never on a held-out set ({', '.join(held_out)})", file=sys.stderr)
            return 2
        sweep(args.knowledge, paths)
        return 0
    print(provenance(ROOT, args.knowledge))
    measured: dict[str, list[Figures]] = defaultdict(list)
    for path in args.sets or DEFAULT_SETS:
        started = time.perf_counter()
        figures = measure(load_set(path), args.knowledge)
        report(path.name, figures, args.quiet, role(path))
        if args.singletons:
            absorbed, total = singletons_absorbed(load_set(path), args.knowledge)
            figures.singletons = (absorbed, total)
            share = 100 * absorbed / max(1, total)
            print(f"  singletons   {absorbed}/{total} = {share:.1f} % of needs asked once absorbed by another need")
        print(f"  ({time.perf_counter() - started:.2f} s)")
        measured[role(path)].append(figures)
    summary(measured)
    return 0


def summary(measured: dict[str, list[Figures]]) -> None:
    """One line per role: tuning sets apart from held-out ones, since only the first may guide a change."""
    for kind, sets in measured.items():
        purity = sum(f.purity for f in sets) / len(sets)
        split = 100 * sum(f.split_share for f in sets) / len(sets)
        met = sum(1 for f in sets if f.purity >= PURITY_TARGET and f.split_share <= SPLIT_TARGET)
        singles = [f.singletons for f in sets if f.singletons]
        absorbed = (
            f", needs asked once absorbed {100 * sum(a for a, _ in singles) / max(1, sum(t for _, t in singles)):.1f} %"
            if singles
            else ""
        )
        print(
            f"{kind}: {len(sets)} set(s), mean purity {purity:.3f}, mean needs split {split:.1f} %, "
            f"both targets met on {met}/{len(sets)}{absorbed}"
        )


if __name__ == "__main__":
    sys.exit(main())
