"""Choose the fused matcher's thresholds on the dev set AND cross-validation over the knowledge base.

`bench/tune.py` alone no longer constrains the settings: on 173 development
questions many points tie, and the ties differ on residents' questions. This
script adds thousands of held-out phrasings of the knowledge base itself
(`bench/crossval.py`: k folds over every entry's phrasings, both the lexical
index and the learned model rebuilt without the fold; `hors-sujet/`
phrasings are out-of-scope questions), and picks on both together:

    per question: right answer or out of scope declined 1, expected id among the
    buttons 0.6 (one tap away), nothing useful 0, confident wrong answer -1;
    objective = mean of the dev set's and the cross-validation's utilities,
    averaged over each point's neighbours in the grid (a plateau, not a spike),
    under the constraint that the dev set stays >= 97 % correct overall.

The grid covers the learned weight, the answer threshold, the off-topic test
(margin and ratio), the button floor and the margin rule (`answer_gap`: the
best entry must lead the runner-up by this fused value, else both become
buttons). Every point is decided by a vectorised copy of
`Matcher._decide_fused` (a test checks they agree). The calibration (Platt
scaling) is then fitted on dev + cross-validation.

Prints the shipped settings' figures beside the chosen ones and the values to
copy into `bot/understanding/matcher.py: Settings`. With `--stories`, both
settings are also read through the whole decision on the synthetic long
stories of `bench/stories.py` (same folds): an optional check, off by default
so the cross-validation figures stay comparable from run to run; the stories
are never part of the objective (a grid of thousands of points through
`Matcher.match` would take hours).
The bot is read as it answers once warm: by meaning too (RELAIS_SENTENCES),
each fold's sentence reading built without the fold; `--words-only` tunes the
two readings of the bot's first seconds. The first line says which.
Run: python bench/cv.py [--folds K] [--knowledge DIR] [--dev FILE] [--stories] [--words-only]
The held-out sets (bench/own-questions*.yaml) must never be given here.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from crossval import Evidence, cross_validation, evidence_of, meaning_encoder, readings_line, with_meaning  # noqa: E402
from eval import DEFAULT_SET, load_cases  # noqa: E402

from bot.knowledge.engine import Engine  # noqa: E402
from bot.knowledge.model import KnowledgeBase  # noqa: E402
from bot.understanding.matcher import Matcher, Settings  # noqa: E402
from bot.understanding.sentence_evidence import Encoder  # noqa: E402

WEIGHTS = np.round(np.arange(0.2, 0.81, 0.1), 2)
ANSWER_FROM = np.round(np.arange(0.0, 0.61, 0.025), 3)
MARGINS = (-0.45, -0.4, -0.35, -0.3, -0.25, -0.2, -0.15, -0.1, -0.05, 0.0, 0.05, 0.1)
FLOORS = (0.05, 0.08, 0.12)
RATIOS = (1.0, 0.8, 0.6, 0.4)
GAPS = (0.0, 0.025, 0.05, 0.1, 0.15)
BUTTON_VALUE = 0.6  # a hesitation whose buttons hold the expected id: one tap away, worth less than an answer
DEV_CORRECT_AT_LEAST = 0.97
TUNED = ("learned_weight", "fused_answer_from", "offtopic_margin", "fused_floor", "offtopic_ratio", "answer_gap")


@dataclass
class Ranked:
    """One set's evidence fused at one learned weight: the three best in-scope entries per question."""

    values: np.ndarray  # questions x 3, fused values, best first
    hits: np.ndarray  # questions x 3, the entry at that rank is expected
    offtopic: np.ndarray  # the off-topic side's value per question
    in_scope: np.ndarray  # the question expects some entry
    has_offtopic: bool

    @classmethod
    def of(cls, evidence: Evidence, offtopic_mask: np.ndarray, weight: float) -> Ranked:
        fused = weight * evidence.learned + (1 - weight) * evidence.lexical
        if offtopic_mask.any():
            off = weight * evidence.learned[:, offtopic_mask].sum(axis=1)
            off += (1 - weight) * evidence.lexical[:, offtopic_mask].max(axis=1)
        else:
            off = np.zeros(len(evidence))
        in_scope = np.where(offtopic_mask, -1.0, fused)
        order = np.argsort(-in_scope, axis=1, kind="stable")[:, :3]
        values = np.take_along_axis(in_scope, order, axis=1)
        hits = np.take_along_axis(evidence.expected, order, axis=1)
        if values.shape[1] < 3:  # fewer than three in-scope entries: pad with ranks that never count
            pad = 3 - values.shape[1]
            values = np.pad(values, ((0, 0), (0, pad)), constant_values=-1.0)
            hits = np.pad(hits, ((0, 0), (0, pad)), constant_values=False)
        return cls(values, hits, off, evidence.expected.any(axis=1), bool(offtopic_mask.any()))


@dataclass
class Decisions:
    """What the matcher does with each question at one point of the grid."""

    answered: np.ndarray  # an entry is answered
    right: np.ndarray  # ... and it is an expected one
    offered: np.ndarray  # no answer, but an expected entry is among the buttons
    offered_too: np.ndarray  # answered wrong, with an expected entry among the runner-up buttons


def decide(ranked: Ranked, s: Settings) -> Decisions:
    """`Matcher._decide_fused` on every question at once (same tests, same order)."""
    v, hits = ranked.values, ranked.hits
    top = v[:, 0]
    off_side = ranked.offtopic >= s.offtopic_ratio * top + s.offtopic_margin
    declined = off_side & ranked.has_offtopic & (ranked.offtopic >= np.maximum(top, s.fused_floor))
    too_close = (s.answer_gap > 0) & (top - v[:, 1] < s.answer_gap)
    score, second = calibrated(top, s), calibrated(v[:, 1], s)
    too_close |= (v[:, 1] > 0) & (score < s.close_call_below) & (score - second < s.close_call_margin)
    answered = ~off_side & (top > 0) & (top >= s.fused_answer_from) & ~too_close
    hesitates = (off_side & ~declined) | (~off_side & (top > 0) & ~answered)
    buttons = (hits & (v >= s.fused_floor)).any(axis=1)
    offered = (hesitates & buttons) | (declined & hits[:, 0] & (top >= s.fused_answer_from))
    runner_up = v[:, 1:] >= np.maximum(s.fused_answer_from, s.runner_up_ratio * top)[:, None]
    offered_too = answered & ~hits[:, 0] & (hits[:, 1:] & runner_up).any(axis=1)
    return Decisions(answered, answered & hits[:, 0], offered, offered_too)


def calibrated(values: np.ndarray, s: Settings) -> np.ndarray:
    """`Matcher.calibrated` on an array: the 0-100 score of each fused value."""
    slope, middle = s.calibration
    return np.round(100.0 / (1.0 + np.exp(-slope * (values - middle))))


def figures(ranked: Ranked, s: Settings) -> np.ndarray:
    """correct overall, confident wrong, expected answered-or-offered (share of in scope), utility."""
    d = decide(ranked, s)
    inside = ranked.in_scope
    n, n_in = len(inside), max(1, int(inside.sum()))
    correct = (inside & d.right) | (~inside & ~d.answered)
    wrong = d.answered & ~(inside & d.right)
    reached = inside & (d.right | d.offered | d.offered_too)
    utility = correct.astype(float) - wrong + BUTTON_VALUE * (inside & d.offered & ~d.answered)
    return np.array([correct.sum() / n, wrong.sum() / n, reached.sum() / n_in, utility.sum() / n])


def settings_at(base: Settings, w: int, a: int, m: int, f: int, r: int, g: int) -> Settings:
    return dataclasses.replace(
        base,
        learned_weight=float(WEIGHTS[w]),
        fused_answer_from=float(ANSWER_FROM[a]),
        offtopic_margin=MARGINS[m],
        fused_floor=FLOORS[f],
        offtopic_ratio=RATIOS[r],
        answer_gap=GAPS[g],
    )


def search(sets: dict[str, Evidence], offtopic_mask: np.ndarray, base: Settings) -> np.ndarray:
    """figures of every set at every point: shape (sets, W, A, M, F, R, G, 4)."""
    shape = (len(sets), len(WEIGHTS), len(ANSWER_FROM), len(MARGINS), len(FLOORS), len(RATIOS), len(GAPS), 4)
    grid = np.zeros(shape)
    for w, weight in enumerate(WEIGHTS):
        ranked = [Ranked.of(ev, offtopic_mask, float(weight)) for ev in sets.values()]
        for index in np.ndindex(*shape[2:7]):
            point = settings_at(base, w, *index)
            for i, r in enumerate(ranked):
                grid[(i, w, *index)] = figures(r, point)
    return grid


def choose(grid: np.ndarray) -> tuple[int, ...]:
    """The best point of the smoothed objective where the dev set (set 0) stays >= 97 % correct.

    Smoothing averages each point with its neighbours along weight, answer
    threshold and margin. On a tie, the most lenient point: the lowest
    answer threshold, then the loosest off-topic margin, then the smallest gap.
    """
    from scipy.ndimage import uniform_filter

    objective = grid[..., 3].mean(axis=0)  # dev and cross-validation count alike
    smoothed = uniform_filter(objective, size=(3, 3, 3, 1, 1, 1), mode="nearest")
    smoothed = np.where(grid[0, ..., 0] >= DEV_CORRECT_AT_LEAST, smoothed, -np.inf)
    best = smoothed.max()
    ties = np.argwhere(smoothed >= best - 1e-9)
    w, a, m, f, r, g = ties.T
    order = np.lexsort((g, -m, a))  # last key first: lowest answer threshold, then highest margin, smallest gap
    return tuple(int(x) for x in ties[order[0]])


def platt(xs: np.ndarray, ys: np.ndarray) -> tuple[float, float]:
    """Slope a and middle b of P(right | fused x) = 1 / (1 + exp(-a (x - b)))."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1.0).fit(xs.reshape(-1, 1), ys)
    slope = float(model.coef_[0][0])
    return slope, float(-model.intercept_[0] / slope)


def calibration(sets: list[Evidence], offtopic_mask: np.ndarray, s: Settings) -> tuple[float, float]:
    """Platt scaling of the best in-scope entry's fused value: is it right (and not declined)?"""
    xs, ys = [], []
    for evidence in sets:
        ranked = Ranked.of(evidence, offtopic_mask, s.learned_weight)
        top = ranked.values[:, 0]
        off_side = ranked.offtopic >= s.offtopic_ratio * top + s.offtopic_margin
        declined = off_side & ranked.has_offtopic & (ranked.offtopic >= np.maximum(top, s.fused_floor))
        keep = top > 0
        xs.append(top[keep])
        ys.append((ranked.hits[:, 0] & ~declined)[keep].astype(int))
    x, y = np.concatenate(xs), np.concatenate(ys)
    return platt(x, y) if 0 < y.sum() < len(y) else s.calibration


def line(name: str, values: np.ndarray) -> str:
    c, w, o, u = values
    return f"  {name:<28} correct {c:6.1%}  confident wrong {w:5.1%}  answered or buttons {o:6.1%}  utility {u:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, default=DEFAULT_SET)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--stories", action="store_true", help="also compare both settings on bench/stories.py's long stories"
    )
    parser.add_argument("--words-only", action="store_true", help="no sentence reading (the bot's first seconds)")
    args = parser.parse_args(argv)
    if "own-questions" in args.dev.name:
        print("refusé : les jeux own-questions* sont des jeux de contrôle, jamais d'ajustement", file=sys.stderr)
        return 2
    matcher: Matcher = Engine.load(args.knowledge).current.matcher
    if matcher.learned is None:
        print("no learned model on this base: nothing to tune", file=sys.stderr)
        return 2
    encoder = meaning_encoder(matcher.kb, args.words_only)
    matcher = with_meaning(matcher, encoder)
    base = matcher.settings
    cases = load_cases(args.dev)
    dev = evidence_of(matcher, [(c.question, tuple(c.expected)) for c in cases])
    folds = [evidence for _, evidence in cross_validation(matcher.kb, args.folds, encoder=encoder)]
    cv = Evidence.join(folds)
    off = matcher._offtopic_mask
    print(readings_line(matcher))
    print(f"dev: {len(dev)} questions; cross-validation: {len(cv)} phrasings in {args.folds} folds")
    grid = search({"dev": dev, "cv": cv}, off, base)
    point = choose(grid)
    chosen = settings_at(base, *point)
    chosen = dataclasses.replace(chosen, calibration=calibration([dev, cv], off, chosen))
    for name, evidence in (("dev", dev), ("cross-validation", cv)):
        print(f"{name}:")
        print(line("shipped settings", figures(Ranked.of(evidence, off, base.learned_weight), base)))
        print(line("chosen on dev + CV", figures(Ranked.of(evidence, off, chosen.learned_weight), chosen)))
    print("chosen settings:")
    for key in TUNED:
        print(f"    {key}: float = {getattr(chosen, key)}")
    print(f"    calibration: tuple[float, float] = ({chosen.calibration[0]:.2f}, {chosen.calibration[1]:.3f})")
    if args.stories:
        print_stories(matcher.kb, args.folds, {"shipped settings": base, "chosen on dev + CV": chosen}, encoder)
    return 0


def print_stories(kb: KnowledgeBase, folds: int, points: dict[str, Settings], encoder: Encoder | None = None) -> None:
    """Each settings' figures on the synthetic stories, every fold's matcher built once for all of them."""
    from stories import FoldMatchers, run

    matchers = FoldMatchers(encoder)
    for name, settings in points.items():
        matchers.rewind()
        print(f"stories ({name}, whole decision):")
        for kind, tally in run(kb, folds, 200, False, settings=settings, build=matchers.build).items():
            print(tally.line(kind))


if __name__ == "__main__":
    raise SystemExit(main())
