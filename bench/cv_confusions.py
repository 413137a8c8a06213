"""Which entries the cross-validation confuses, so phrasings can sharpen both sides of a pair.

`bench/cv.py` prints the cross-validation's figures but not where they are
lost. This reads the same folds (`bench/crossval.py`: every entry's phrasings
held out in turn, both matchers rebuilt without them) with the shipped
settings, and prints:

* the figures of `bench/cv.py`'s "shipped settings" line (to compare runs);
* the pairs (expected entry -> entry answered) of confident wrong answers,
  most frequent first; `hors-sujet` stands for any off-topic file;
* the entries whose held-out phrasings are least often answered right;
* with `--examples N`, up to N held-out phrasings of each top pair.

Adding or removing phrasings re-deals the folds, so two bases' figures differ
by chance as well. `--same-questions-as DIR` compares two bases fairly: each
phrasing's fold comes from its text (stable from one base to the other), and
only the phrasings both bases hold, under the same entry, are scored. Run it
once on each base with the other given as DIR: the two lines read the same
questions, so the difference is what the phrasings added or removed changed.

Each fold's matcher reads by meaning too, as the warm bot does (RELAIS_SENTENCES;
`--words-only`: words and the n-gram model only); the first line says which.
Only the knowledge base's own phrasings are read: the held-out sets
(bench/own-questions*.yaml) and the evaluation sets are never used here.
Run: python bench/cv_confusions.py [--folds K] [--knowledge DIR] [--top N] [--examples N]
     [--same-questions-as OTHER_KNOWLEDGE_DIR]
"""

from __future__ import annotations

import argparse
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from crossval import (  # noqa: E402
    Evidence,
    evidence_of,
    fold_of_phrasings,
    meaning_encoder,
    readings_line,
    with_meaning,
    without_fold,
)
from cv import Ranked, decide, figures, line  # noqa: E402

from bot.knowledge import load_knowledge  # noqa: E402
from bot.knowledge.engine import Engine, build_matcher  # noqa: E402
from bot.knowledge.model import KnowledgeBase  # noqa: E402
from bot.understanding.matcher import Matcher  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402
from bot.understanding.sentence_evidence import Encoder  # noqa: E402

OFFTOPIC = "hors-sujet"


def stable_folds(kb: KnowledgeBase, k: int) -> dict[str, list[int]]:
    """Each phrasing's fold read from its entry and text: the same in any base that holds it."""
    return {
        entry_id: [zlib.crc32(f"{entry_id}\t{p}".encode()) % k for p in kb.phrasings_of(entry_id)]
        for entry_id in kb.entries
    }


def held_out_folds(
    matcher: Matcher, k: int, stable: bool = False, encoder: Encoder | None = None
) -> tuple[Evidence, list[str], list[str]]:
    """The evidence of every held-out phrasing, the phrasings and their owners (entry, or off-topic), in order.

    The owner is the entry the phrasing belongs to: the evidence's expected
    entries also hold its interchangeable office, which must not be named
    as the side a confusion came from. Given `encoder`, each fold's matcher
    also reads by meaning (its own texts only), as the warm bot does.
    """
    folds = stable_folds(matcher.kb, k) if stable else fold_of_phrasings(matcher.kb, k)
    parts: list[Evidence] = []
    texts: list[str] = []
    owners: list[str] = []
    for fold in range(k):
        fold_kb, held_out = without_fold(matcher.kb, folds, fold)
        fold_matcher = with_meaning(build_matcher(fold_kb, ModelCache()), encoder)
        parts.append(evidence_of(fold_matcher, [(h.question, h.expected) for h in held_out]))
        texts += [h.question for h in held_out]
        owners += [h.expected[0] if h.expected else OFFTOPIC for h in held_out]
    return Evidence.join(parts), texts, owners


def shared_rows(texts: list[str], owners: list[str], other: KnowledgeBase) -> np.ndarray:
    """Which held-out phrasings the other base holds under the same entry (an off-topic one in any off-topic file)."""
    theirs = {(OFFTOPIC if other.entries[e].offtopic else e, p) for e in other.entries for p in other.phrasings_of(e)}
    return np.array([(owner, text) in theirs for text, owner in zip(texts, owners)], dtype=bool)


def label(matcher: Matcher, index: int) -> str:
    """An entry's id, every off-topic file read as one side."""
    entry_id = matcher.entry_ids[index]
    return OFFTOPIC if matcher.kb.entries[entry_id].offtopic else entry_id


def outcomes(
    matcher: Matcher, evidence: Evidence, owners: list[str]
) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """Per phrasing: its expected side, the side answered ('' when none), answered right, answered at all."""
    s, off = matcher.settings, matcher._offtopic_mask
    ranked = Ranked.of(evidence, off, s.learned_weight)
    d = decide(ranked, s)
    fused = s.learned_weight * evidence.learned + (1 - s.learned_weight) * evidence.lexical
    best = np.argmax(np.where(off, -1.0, fused), axis=1)
    expected = [label(matcher, int(np.flatnonzero(row)[0])) if row.any() else OFFTOPIC for row in evidence.expected]
    answered = [label(matcher, int(b)) if a else "" for b, a in zip(best, d.answered)]
    right = np.where(ranked.in_scope, d.right, ~d.answered)
    return expected, answered, right, d.answered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--top", type=int, default=30, help="how many pairs and weak entries to print")
    parser.add_argument("--examples", type=int, default=0, help="held-out phrasings shown per top pair")
    parser.add_argument(
        "--same-questions-as", type=Path, default=None, help="score only the phrasings this other base holds too"
    )
    parser.add_argument("--words-only", action="store_true", help="no sentence reading (the bot's first seconds)")
    args = parser.parse_args(argv)
    matcher = Engine.load(args.knowledge).current.matcher
    if matcher.learned is None:
        print("no learned model on this base: nothing to measure", file=sys.stderr)
        return 2
    encoder = meaning_encoder(matcher.kb, args.words_only)
    matcher = with_meaning(matcher, encoder)
    print(readings_line(matcher))
    evidence, texts, owners = held_out_folds(matcher, args.folds, args.same_questions_as is not None, encoder)
    if args.same_questions_as is not None:
        keep = shared_rows(texts, owners, load_knowledge(args.same_questions_as).kb)
        evidence = Evidence(evidence.lexical[keep], evidence.learned[keep], evidence.expected[keep])
        texts = [t for t, k in zip(texts, keep) if k]
        owners = [o for o, k in zip(owners, keep) if k]
        print(f"only the phrasings {args.same_questions_as} holds too, folds read from each phrasing's text")
    ranked = Ranked.of(evidence, matcher._offtopic_mask, matcher.settings.learned_weight)
    print(f"cross-validation: {len(texts)} phrasings in {args.folds} folds")
    print(line("shipped settings", figures(ranked, matcher.settings)))
    expected, answered, right, was_answered = outcomes(matcher, evidence, owners)
    pairs: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    per_entry: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # held out, right, confident wrong
    for i, (want, got) in enumerate(zip(expected, answered)):
        tally = per_entry[want]
        tally[0] += 1
        tally[1] += int(right[i])
        if was_answered[i] and not right[i]:
            tally[2] += 1
            pairs[(want, got)] += 1
            examples[(want, got)].append(texts[i])
    print(f"\nconfident wrong answers, expected -> answered (top {args.top}):")
    for (want, got), n in pairs.most_common(args.top):
        print(f"  {n:4d}  {want} -> {got}")
        for text in examples[(want, got)][: args.examples]:
            print(f"          « {text} »")
    print(f"\nentries least often right (top {args.top}): right / held out, confident wrong")
    weakest = sorted(per_entry.items(), key=lambda kv: kv[1][1] / kv[1][0])
    for entry_id, (n, ok, wrong) in weakest[: args.top]:
        print(f"  {entry_id:<32} {ok / n:6.1%}  ({ok}/{n}), wrong {wrong}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
