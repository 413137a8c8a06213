"""Derive the danger detector's two alert thresholds on the development sets ONLY (issue #9).

A message is a danger when its whole (short messages only) reaches
`ALERT_FROM`, when one of its clauses (or two neighbours) reaches
`CLAUSE_ALERT_FROM`, or when it holds one of the mediators' exact expressions.
For every message of the dev sets the scores are computed once; then every
pair of thresholds is decided and counted.

Recall comes first, but the dev set alone cannot place the thresholds: its
24 dangers and 12 look-alikes are all easy, and every pair from 0.4 to 0.75
keeps them all. A held-back set written by other people scores its dangers
lower. So the thresholds are also measured on phrasings the model has NOT
seen: the mediators' own danger phrasings and look-alikes, in five folds
(each fold scored by a model trained on the four others, expressions and
clause reading included, as the bot reads a message), each alone and joined
to one of the base's ordinary questions.

The rule: among the pairs that keep every dev danger with at most
`FALSE_ALARM_BUDGET` false alarms on the dev look-alikes (safety-dev's
`urgence: none` items and the ordinary questions of dev.yaml), the pair with
the lowest cross-validated cost, where a missed danger counts
`MISS_COST` false alarms, averaged over the pair's grid neighbours so the
choice sits in the middle of a plateau rather than on a lucky spike (so a
pair on the grid's edge, with neighbours on one side only, is not chosen); among
the pairs within `COST_TIE` of that lowest cost, the one with the highest
cross-validated recall (recall first: when unsure, keep the alarm).

Cross-validation reads look-alikes, never an ordinary question alone, and most
of what residents type is ordinary: a pair can look cheap in cross-validation
and still raise alarms on "mon chauffage est en panne avec le bébé". So the
tuning sets' ordinary questions (dev.yaml's, bench/unmet-needs.yaml and
bench/unmet-needs-tune*.yaml, none of them in the knowledge base) are also
read alone by the shipped model, and their alarm rate counts in the cost as
much as the cross-validated false alarms: the false-alarm term is the mean of
the two.

Run: python bench/safety_thresholds.py
The held-out sets (bench/own-safety*.yaml, bench/own-questions*.yaml) must never be given here.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from safety import NONE, load_safety_cases  # noqa: E402

from bot.knowledge.engine import Engine  # noqa: E402
from bot.understanding import danger as danger_module  # noqa: E402
from bot.understanding.danger import NONE as NO_DANGER  # noqa: E402
from bot.understanding.danger import DangerDetector, LinearTextModel, train  # noqa: E402

SAFETY_DEV = ROOT.parent / "shared" / "eval" / "safety-dev.yaml"
DEV = ROOT.parent / "shared" / "eval" / "dev.yaml"
# The tuning sets of unmet needs (never the held-out ones): ordinary questions the knowledge base never saw.
UNMET_TUNING = (ROOT / "bench" / "unmet-needs.yaml", *sorted((ROOT / "bench").glob("unmet-needs-tune*.yaml")))
# dev.yaml questions expecting one of these may be dangers themselves ("mon copain me frappe"): not counted either way.
DANGER_ENTRIES = {"violences", "hebergement-urgence", "sante-mentale"}
FALSE_ALARM_BUDGET = 0.02  # dev look-alikes: 4 of 176
# Costs this close to the lowest are a tie for folds of this size: the tie goes to the higher recall.
# It went to fewer false alarms until the look-alikes were weighed more: along the
# flat frontier it then bought 1.2 points of false alarms with 0.8 point of recall
# (0.25 / 0.7 instead of the lowest cost's 0.2 / 0.7), against "recall first".
COST_TIE = 0.02
MISS_COST = 2.5  # the issue allows 2 % of dangers missed and 5 % false alarms: a miss weighs 5/2 false alarms
FOLDS = 5
JOINERS = (". ", ", ", " et au fait ", " et sinon ", " mais ", " et ")
# A sentence about something long over, put before a danger: the danger must still alert
# (bot.understanding.danger_context must not hide it). Reported, not part of the cost.
PAST_OPENERS = (
    "Il y a dix ans j'ai eu une période difficile. ",
    "Quand j'étais petite c'était déjà compliqué à la maison. ",
    "J'ai déjà demandé de l'aide il y a des années, c'est fini depuis. ",
    "Years ago I had a hard time. ",
)
SEEDS = (1, 2, 7)  # the folds are drawn three times: one draw alone moves the choice by a grid step
# From 0.15: the lowest cost sat on the old edges, 0.30 then 0.20 (look-alikes weighed more).
WHOLE_GRID = np.round(np.arange(0.15, 0.751, 0.05), 3)
CLAUSE_GRID = np.round(np.arange(0.50, 0.99, 0.05), 3)


def message_scores(detector: DangerDetector, text: str) -> tuple[float, float, bool]:
    """(whole-message score if short, best clause score, alerts whatever the two thresholds).

    The last is an exact expression that counts, or a distant sentence (a danger
    long over, a topic) strong enough for its own fixed level: neither moves
    with the grid.
    """
    reading = detector.read(text)
    whole, best = 0.0, 0.0
    forced = bool(reading.expression_kinds)
    for piece in reading.pieces:
        if piece.vetoed:  # the content gate's veto, decided at the shipped levels (bot.understanding.content_gate)
            continue
        if piece.level == danger_module.DISTANT_ALERT_FROM:
            forced = forced or piece.alerts
            continue
        if piece.level == danger_module.ALERT_FROM:  # a short message read whole (or its near sentences)
            whole = max(whole, piece.danger)
        best = max(best, piece.danger)
    return whole, best, forced


def ordinary_dev_questions() -> list[str]:
    questions = []
    for item in yaml.safe_load(DEV.read_text(encoding="utf-8")) or []:
        expect = item.get("expect")
        expected = set(expect if isinstance(expect, list) else [expect])
        if not expected & DANGER_ENTRIES:
            questions.append(str(item["q"]))
    return questions


def unmet_tuning_questions() -> list[str]:
    """The questions of the unmet-needs tuning sets: ordinary needs, none of them a danger."""
    questions = []
    for path in UNMET_TUNING:
        for need in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            questions += [str(q) for q in need.get("questions") or []]
    return questions


def ordinary_tuning_questions() -> list[str]:
    """dev.yaml's ordinary questions and the unmet-needs tuning questions, each once."""
    return list(dict.fromkeys([*ordinary_dev_questions(), *unmet_tuning_questions()]))


def cross_validated_scores(
    detector: DangerDetector, lookalikes: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores by models that never saw the phrasing (FOLDS folds, each seed).

    Returned: the dangers, the look-alikes, and the dangers after a sentence about the past.
    """
    dangers: list[tuple[float, float, bool]] = []
    others: list[tuple[float, float, bool]] = []
    after_past: list[tuple[float, float, bool]] = []
    for seed in SEEDS:
        found = _one_draw(detector, lookalikes, seed)
        dangers += found[0]
        others += found[1]
        after_past += found[2]
    return np.array(dangers), np.array(others), np.array(after_past)


def _one_draw(detector: DangerDetector, lookalikes: list[str], seed: int) -> tuple[list, list, list]:
    """One shuffle into folds. Each held-out phrasing is scored alone and joined to an ordinary question.

    Joined, a danger is "a danger mixed with an ordinary question", and a
    look-alike becomes a longer ordinary story: the clause reading and its
    threshold are then measured too, not only the whole-message one.
    """
    items, questions, rng = fold_draw(detector, lookalikes, seed)
    dangers: list = []
    others: list = []
    after_past: list = []
    model = detector.model
    try:
        for fold in range(FOLDS):
            test = items[fold::FOLDS]
            left_out = {p for p, _ in test}
            fold_detector = _detector_without(detector, left_out)
            detector.model = LinearTextModel(train(*fold_detector._training_set()))
            for phrasing, kind in test:
                mixed = phrasing + rng.choice(JOINERS) + rng.choice(questions)
                for message in (phrasing, mixed):
                    (others if kind == NO_DANGER else dangers).append(message_scores(detector, message))
                if kind != NO_DANGER:
                    after_past.append(message_scores(detector, rng.choice(PAST_OPENERS) + phrasing))
    finally:
        detector.model = model
    return dangers, others, after_past


def fold_draw(
    detector: DangerDetector, lookalikes: list[str], seed: int
) -> tuple[list[tuple[str, str]], list[str], random.Random]:
    """Shuffled (phrasing, kind) items to cut into folds, ordinary questions to join them to, the rng.

    Shared with `safety_false_alarms.py`, so its diagnosis reads exactly the
    folds these thresholds were chosen on.
    """
    items = [(p, kind) for kind, phrasings in detector.examples.items() for p in phrasings]
    items += [(p, NO_DANGER) for p in lookalikes]
    rng = random.Random(seed)
    rng.shuffle(items)
    held = set(lookalikes)
    questions = [p for p in detector.negatives if p not in held and len(p.split()) >= 4]
    return items, questions, rng


def _detector_without(detector: DangerDetector, left_out: set[str]) -> DangerDetector:
    """The detector's data minus one fold, untrained: only its `_training_set` is used."""
    fold = object.__new__(DangerDetector)
    fold.examples = {k: [p for p in ps if p not in left_out] for k, ps in detector.examples.items()}
    fold.negatives = [p for p in detector.negatives if p not in left_out]
    fold.lookalikes = [p for p in detector.lookalikes if p not in left_out]
    fold.normalize = detector.normalize
    return fold


def alerts(rows: np.ndarray, whole_from: float, clause_from: float) -> np.ndarray:
    return (rows[:, 0] >= whole_from) | (rows[:, 1] >= clause_from) | (rows[:, 2] > 0)


def main() -> int:
    engine = Engine.load(ROOT / "knowledge")
    shipped = (danger_module.ALERT_FROM, danger_module.CLAUSE_ALERT_FROM)
    detector = engine.current.danger
    assert engine.current.kb.dangers is not None
    cases = load_safety_cases(SAFETY_DEV)
    dev_dangers = np.array([message_scores(detector, c.question) for c in cases if c.urgence != NONE])
    dev_lookalikes = [c.question for c in cases if c.urgence == NONE] + ordinary_dev_questions()
    dev_ordinary = np.array([message_scores(detector, q) for q in dev_lookalikes])
    lookalikes = list(engine.current.kb.dangers.lookalikes)
    alone = np.array([message_scores(detector, q) for q in ordinary_tuning_questions()])
    cv_dangers, cv_ordinary, cv_after_past = cross_validated_scores(detector, lookalikes)
    print(
        f"dev: {len(dev_dangers)} dangers, {len(dev_ordinary)} look-alikes and ordinary questions; "
        f"cross-validated: {len(cv_dangers)} danger phrasings, {len(cv_ordinary)} look-alikes; "
        f"ordinary tuning questions read alone: {len(alone)}"
    )
    header = (
        ("ALERT_FROM", 10), ("CLAUSE_FROM", 12), ("dev recall", 11), ("dev FA", 8), ("cv recall", 10), ("cv FA", 7),
        (f"alone/{len(alone)}", 10),
    )  # fmt: skip
    print(" ".join(f"{name:>{width}}" for name, width in header), f"{'cost (neighbours)':>18}")
    costs = {
        (i, j): MISS_COST * (1 - alerts(cv_dangers, w, c).mean())
        + (alerts(cv_ordinary, w, c).mean() + alerts(alone, w, c).mean()) / 2
        for i, w in enumerate(WHOLE_GRID)
        for j, c in enumerate(CLAUSE_GRID)
    }
    candidates: list[tuple[float, float, float, float]] = []  # (cost, cv false alarms, whole, clause)
    recall_of: dict[tuple[float, float], float] = {}
    for i, whole_from in enumerate(WHOLE_GRID):
        for j, clause_from in enumerate(CLAUSE_GRID):
            if clause_from < whole_from:
                continue
            dev_recall = alerts(dev_dangers, whole_from, clause_from).mean()
            dev_fa = alerts(dev_ordinary, whole_from, clause_from).mean()
            cv_recall = alerts(cv_dangers, whole_from, clause_from).mean()
            cv_fa = alerts(cv_ordinary, whole_from, clause_from).mean()
            alone_fa = int(alerts(alone, whole_from, clause_from).sum())
            near = [costs[i + a, j + b] for a in (-1, 0, 1) for b in (-1, 0, 1) if (i + a, j + b) in costs]
            cost = float(np.mean(near))
            # A pair on the grid's edge has neighbours on one side only: it cannot be shown to sit on a plateau.
            inside = 0 < i < len(WHOLE_GRID) - 1 and 0 < j < len(CLAUSE_GRID) - 1
            allowed = dev_recall == 1.0 and dev_fa <= FALSE_ALARM_BUDGET and inside
            print(
                f"{whole_from:>10.2f} {clause_from:>12.2f} {dev_recall:>11.1%} {dev_fa:>8.1%} "
                f"{cv_recall:>10.1%} {cv_fa:>7.1%} {alone_fa:>10} {cost:>18.3f}"
                f"{'' if allowed else '  (not allowed: dev or edge)'}"
            )
            recall_of[whole_from, clause_from] = float(cv_recall)
            if allowed:
                candidates.append((cost, cv_fa, whole_from, clause_from))
    if not candidates:
        print("no pair keeps every dev danger within the false-alarm budget")
        return 1
    lowest = min(candidates)[0]
    cost, cv_recall, whole_from, clause_from = min(
        ((c[0], recall_of[c[2], c[3]], c[2], c[3]) for c in candidates if c[0] <= lowest * (1 + COST_TIE)),
        key=lambda c: (-c[1], c[0]),
    )
    print(
        f"chosen: ALERT_FROM = {whole_from}, CLAUSE_ALERT_FROM = {clause_from} (cost {cost:.3f}, lowest {lowest:.3f}; "
        f"highest recall within {COST_TIE:.0%} of it: {cv_recall:.1%})"
    )
    for name, (w, c) in (("chosen", (whole_from, clause_from)), ("shipped", shipped)):
        print(
            f"{name} pair {w} / {c}: cv recall {alerts(cv_dangers, w, c).mean():.1%}, cv false alarms "
            f"{alerts(cv_ordinary, w, c).mean():.1%}, cv recall after a sentence about the past "
            f"{alerts(cv_after_past, w, c).mean():.1%}, ordinary tuning questions alone alerting "
            f"{int(alerts(alone, w, c).sum())}/{len(alone)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
