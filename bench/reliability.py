"""Does the 0-100 score mean the same for every entry? A reliability table on cross-validation.

Each entry's phrasings are dealt into k folds (`crossval.py`); each fold's
phrasings are read by the matcher built without them, through
`Matcher.match` (the bot's whole decision: framing, parts, clauses, close
calls). Prints:

* correct overall / confident wrong / expected answered or among buttons, as
  `bench/eval.py` counts them (a right and its own office count for each other);
* for the answers, the share that is right per band of score (a calibrated
  score of 80 should be right about 80 % of the time or more);
* the entries whose answers are most over- and under-confident (mean score
  against the share right), so a score that means less for one entry is seen;
* the most frequent confusions (expected -> answered).

Each fold's matcher also reads by meaning (its sentence reading built from
the fold's texts), as the warm bot and `ask --jsonl` do, unless RELAIS_SENTENCES
is off or `--words-only` is given; the first line says which. `--settings JSON`
(repeatable) reads the same folds again with other matcher settings, for a
before/after on the same fold models.

Held-out sets are never read here: only the knowledge base's own phrasings.
Run: python bench/reliability.py [--folds K] [--knowledge DIR] [--cache DIR] [--words-only] [--settings JSON]...
(--cache keeps the fold models on disk: a second run on the same base skips training.)
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from crossval import fold_of_phrasings, without_fold  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.knowledge import load_knowledge  # noqa: E402
from bot.knowledge.engine import build_matcher  # noqa: E402
from bot.knowledge.model import KnowledgeBase  # noqa: E402
from bot.understanding.matcher import Match, Matcher  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402
from bot.understanding.sentence_evidence import Encoder, sentence_evidence_for  # noqa: E402


@dataclass(frozen=True)
class Read:
    """One held-out phrasing and what the matcher built without it made of it."""

    expected: tuple[str, ...]  # empty: out of scope
    match: Match

    @property
    def answered(self) -> bool:
        return self.match.entry_id is not None

    @property
    def right(self) -> bool:
        return self.match.entry_id in self.expected


def fold_matchers(kb: KnowledgeBase, k: int, cache: ModelCache, encoder: Encoder | None = None) -> list[Matcher]:
    """Per fold, the matcher built without that fold's phrasings (reading by meaning too, given an encoder)."""
    folds = fold_of_phrasings(kb, k)
    matchers = []
    for fold in range(k):
        fold_kb, _ = without_fold(kb, folds, fold)
        matcher = build_matcher(fold_kb, cache)
        reading = sentence_evidence_for(fold_kb, encoder, ModelCache()) if encoder is not None else None
        if reading is not None:
            matcher.attach_sentences(reading)
        matchers.append(matcher)
    return matchers


def read_folds(kb: KnowledgeBase, k: int, cache: ModelCache, matchers: list[Matcher] | None = None) -> list[Read]:
    """Every phrasing of the base, read by the matcher of the other folds (`matchers`: built once, reused)."""
    folds = fold_of_phrasings(kb, k)
    matchers = matchers if matchers is not None else fold_matchers(kb, k, cache)
    reads: list[Read] = []
    for fold, matcher in enumerate(matchers):
        _, held_out = without_fold(kb, folds, fold)
        reads += [Read(h.expected, matcher.match(h.question)) for h in held_out]
    return reads


def with_settings(matchers: list[Matcher], values: dict[str, object]) -> list[Matcher]:
    """Copies of the fold matchers with some settings changed (the models are shared, not rebuilt)."""
    changed = []
    for matcher in matchers:
        other = copy.copy(matcher)
        other.settings = dataclasses.replace(matcher.settings, **values)
        changed.append(other)
    return changed


def summary(reads: list[Read]) -> str:
    in_scope = [r for r in reads if r.expected]
    correct = sum(1 for r in reads if (r.right if r.expected else not r.answered))
    wrong = sum(1 for r in reads if r.answered and not r.right)
    reached = sum(1 for r in in_scope if r.right or set(r.match.suggestions) & set(r.expected))
    return (
        f"{len(reads)} phrasings: correct {correct / len(reads):.1%} ({correct}), "
        f"confident wrong {wrong / len(reads):.1%} ({wrong}), "
        f"answered or buttons {reached / max(1, len(in_scope)):.1%} ({reached}/{len(in_scope)})"
    )


def by_score(reads: list[Read]) -> list[str]:
    bands: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in reads:
        if r.answered:
            band = bands[min(9, r.match.score // 10)]
            band[0] += 1
            band[1] += r.right
    return [
        f"  score {10 * b:>2}-{10 * b + 9:<3} {n:5} answers, {ok / n:6.1%} right"
        for b, (n, ok) in sorted(bands.items())
    ]


def by_entry(reads: list[Read], shown: int = 6) -> list[str]:
    """Entries ordered by share right minus mean score: the most over-confident first."""
    answers: dict[str, list[Read]] = defaultdict(list)
    for r in reads:
        if r.answered:
            answers[str(r.match.entry_id)].append(r)
    rows = []
    for entry_id, own in answers.items():
        right = sum(r.right for r in own) / len(own)
        score = sum(r.match.score for r in own) / len(own) / 100
        rows.append((right - score, entry_id, len(own), right, score))
    rows.sort()
    lines = [f"  {e:<28} {n:4} answers, mean score {score:.2f}, right {right:.2f}" for _, e, n, right, score in rows]
    return lines if len(lines) <= 2 * shown else [*lines[:shown], "  ...", *lines[-shown:]]


def confusions(reads: list[Read], shown: int = 12) -> str:
    counts = Counter(
        (r.expected[0] if r.expected else "hors sujet", r.match.entry_id) for r in reads if r.answered and not r.right
    )
    return ", ".join(f"{a} -> {b} {n}" for (a, b), n in counts.most_common(shown))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=None, help="folder for the fold models (default: memory only)")
    parser.add_argument("--words-only", action="store_true", help="no sentence reading (RELAIS_SENTENCES=0 alike)")
    parser.add_argument(
        "--settings",
        action="append",
        default=[],
        metavar="JSON",
        help="also read the folds with other matcher settings, e.g. '{\"unbacked_below\": 80}'",
    )
    args = parser.parse_args(argv)
    try:
        variants = [json.loads(text) for text in args.settings]
    except ValueError as error:
        print(f"réglages illisibles : {error}", file=sys.stderr)
        return 2
    kb = load_knowledge(args.knowledge).kb
    encoder = None
    if load_settings().sentences and not args.words_only:
        from stories import reading_by_meaning

        encoder = reading_by_meaning(kb)
    matchers = fold_matchers(kb, args.folds, ModelCache(args.cache), encoder)
    print("readings: " + ("words + n-gram model + meaning" if encoder is not None else "words + n-gram model"))
    reads = read_folds(kb, args.folds, ModelCache(args.cache), matchers)
    print(f"cross-validation, {args.folds} folds, whole decision: {summary(reads)}")
    print("answers by calibrated score:")
    print("\n".join(by_score(reads)))
    print("entries, most over-confident first (mean score vs share right):")
    print("\n".join(by_entry(reads)))
    print(f"most frequent confusions: {confusions(reads)}")
    for text, values in zip(args.settings, variants):
        try:
            changed = with_settings(matchers, values)
        except TypeError as error:
            print(f"réglages illisibles : {error}", file=sys.stderr)
            return 2
        print(f"with {text}: {summary(read_folds(kb, args.folds, ModelCache(args.cache), changed))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
