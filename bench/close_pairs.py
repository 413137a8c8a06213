"""Would a margin rule restricted to genuinely close pairs of entries lower confident wrong answers?

Issue #11 asks to prefer buttons with both entries over a confident single
answer when two close entries (`dalo`/`logement-social`, `jeunes-cej`/`rsa`…)
are nearly level. Which pairs are close is read from the knowledge base
itself: the pairs the cross-validation confuses (a phrasing of one answered
as the other) at least `--least` times. Measured honestly, that is nested:
for each fold, the pairs come from the OTHER folds' confusions, and the rule
(the best entry and the runner-up form such a pair and lead by less than a
fused gap -> both become buttons) is judged on the fold itself.

Prints, per (least, gap), on the held-out phrasings and on the dev set:
right answers, confident wrong answers, answers turned into buttons and how
many of those still hold the expected entry. Decisions are those of
`bench/cv.py` (`Matcher._decide_fused` vectorised), whole messages only.
Run: python bench/close_pairs.py [--folds K] [--knowledge DIR]
The held-out sets (bench/own-questions*.yaml) are never read here.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from crossval import Evidence, cross_validation, evidence_of  # noqa: E402
from cv import Ranked, decide  # noqa: E402
from eval import DEFAULT_SET, load_cases  # noqa: E402

from bot.knowledge.engine import Engine  # noqa: E402
from bot.understanding.matcher import Settings  # noqa: E402

LEAST = (2, 3, 5)
GAPS = (0.05, 0.1, 0.15, 0.2)
Pair = frozenset[int]


def top_two(evidence: Evidence, offtopic_mask: np.ndarray, s: Settings) -> np.ndarray:
    """The best two in-scope entries of each question (entry indexes), best first."""
    fused = s.learned_weight * evidence.learned + (1 - s.learned_weight) * evidence.lexical
    in_scope = np.where(offtopic_mask, -1.0, fused)
    return np.argsort(-in_scope, axis=1, kind="stable")[:, :2]


def confusions(evidence: Evidence, ranked: Ranked, tops: np.ndarray, s: Settings, rows: np.ndarray) -> Counter[Pair]:
    """How often each pair (expected entry, answered entry) was a confident wrong answer, over `rows`."""
    d = decide(ranked, s)
    wrong = d.answered & ranked.in_scope & ~ranked.hits[:, 0] & rows
    counts: Counter[Pair] = Counter()
    for i in np.flatnonzero(wrong):
        expected = int(np.flatnonzero(evidence.expected[i])[0])
        counts[frozenset((expected, int(tops[i, 0])))] += 1
    return counts


def judged(ranked: Ranked, tops: np.ndarray, s: Settings, pairs: set[Pair], gap: float, rows: np.ndarray) -> np.ndarray:
    """right, confident wrong, answers turned into buttons, of which still reaching the expected entry."""
    d = decide(ranked, s)
    v = ranked.values
    close = np.array([frozenset((int(a), int(b))) in pairs for a, b in tops]) & (v[:, 0] - v[:, 1] < gap)
    answered = d.answered & ~close & rows
    turned = d.answered & close & rows
    reached = turned & ranked.in_scope & (ranked.hits[:, :2] & (v[:, :2] >= s.fused_floor)).any(axis=1)
    right = answered & ranked.hits[:, 0]
    wrong = answered & ~(ranked.in_scope & ranked.hits[:, 0])
    return np.array([right.sum(), wrong.sum(), turned.sum(), reached.sum()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    matcher = Engine.load(args.knowledge).current.matcher
    if matcher.learned is None:
        print("no learned model on this base: nothing to measure", file=sys.stderr)
        return 2
    s, off = matcher.settings, matcher._offtopic_mask
    dev = evidence_of(matcher, [(c.question, tuple(c.expected)) for c in load_cases(DEFAULT_SET)])
    folds = [evidence for _, evidence in cross_validation(matcher.kb, args.folds)]
    cv = Evidence.join(folds)
    fold_of = np.repeat(np.arange(len(folds)), [len(f) for f in folds])
    ranked = {"cv": Ranked.of(cv, off, s.learned_weight), "dev": Ranked.of(dev, off, s.learned_weight)}
    tops = {"cv": top_two(cv, off, s), "dev": top_two(dev, off, s)}
    everywhere = np.ones(len(cv), dtype=bool)
    base = judged(ranked["cv"], tops["cv"], s, set(), 1.0, everywhere)
    dev_base = judged(ranked["dev"], tops["dev"], s, set(), 1.0, np.ones(len(dev), dtype=bool))
    print(f"cross-validation: {len(cv)} phrasings in {args.folds} folds; dev: {len(dev)} questions")
    print(f"no rule: cv right {base[0]} wrong {base[1]}; dev right {dev_base[0]} wrong {dev_base[1]}")
    share = (args.folds - 1) / args.folds  # the other folds hold this share of the confusions
    for least in LEAST:
        all_pairs = {p for p, n in confusions(cv, ranked["cv"], tops["cv"], s, everywhere).items() if n >= least}
        for gap in GAPS:
            total = np.zeros(4, dtype=int)
            for k in range(len(folds)):
                counts = confusions(cv, ranked["cv"], tops["cv"], s, fold_of != k)
                pairs = {p for p, n in counts.items() if n >= least * share}
                total += judged(ranked["cv"], tops["cv"], s, pairs, gap, fold_of == k)
            on_dev = judged(ranked["dev"], tops["dev"], s, all_pairs, gap, np.ones(len(dev), dtype=bool))
            print(
                f"pairs confused >= {least} ({len(all_pairs)} pairs), gap {gap}: cv right {base[0]} -> {total[0]}, "
                f"wrong {base[1]} -> {total[1]}, turned into buttons {total[2]} (expected among them {total[3]}); "
                f"dev right {dev_base[0]} -> {on_dev[0]}, wrong {dev_base[1]} -> {on_dev[1]}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
