"""Which of the mediators' look-alikes a model that never saw them flags, and why (issue #9).

False alarms are the safety layer's biggest gap. To fix them by cause rather
than one by one, each look-alike of `knowledge/urgences/pas-urgence*.yaml` is
scored by a model trained without it (the same folds as
bench/safety_thresholds.py), alone and joined to an ordinary question, and
every false alarm is printed with what raised it:

- `expression`: one of the mediators' exact expressions (the backstop);
- `whole`: the short message read whole reached ALERT_FROM;
- `clause`: one clause, or two neighbours, reached CLAUSE_ALERT_FROM;
- `distant`: a sentence telling a danger long over still reached DISTANT_ALERT_FROM.

Only the knowledge base is read: never a held-out set.
Run: python bench/safety_false_alarms.py [--seeds N] [--dangers]
(--dangers also lists the danger phrasings missed in cross-validation.) The
last lines give, per kind, how often the reply starts with the right kind and
how often it shows that kind's first lines at all.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from safety_thresholds import FOLDS, JOINERS, SEEDS, _detector_without, fold_draw  # noqa: E402

from bot.knowledge.engine import Engine  # noqa: E402
from bot.understanding import danger as module  # noqa: E402
from bot.understanding.danger import NONE, DangerDetector, LinearTextModel, train  # noqa: E402


def causes(detector: DangerDetector, text: str) -> list[str]:
    """What makes `text` alert: each cause with the piece and score behind it."""
    reading = detector.read(text)
    found = [f"expression[{','.join(reading.expression_kinds)}]" for _ in reading.expression_kinds[:1]]
    for piece in reading.pieces:
        if not piece.alerts:
            continue
        name = {
            module.ALERT_FROM: "whole",
            module.DISTANT_ALERT_FROM: "distant",
        }.get(piece.level, "clause")
        found.append(f"{name}[{piece.kind} {piece.danger:.2f}: {piece.text[:70]!r}]")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="how many of the fold draws to use")
    parser.add_argument("--dangers", action="store_true", help="also list the missed danger phrasings")
    args = parser.parse_args()
    engine = Engine.load(ROOT / "knowledge")
    detector = engine.current.danger
    assert engine.current.kb.dangers is not None
    lookalikes = list(engine.current.kb.dangers.lookalikes)
    model = detector.model
    tally: Counter[str] = Counter()
    per_kind: Counter[str] = Counter()  # danger messages of each kind
    first: Counter[str] = Counter()  # ...whose reply starts with that kind
    shown: Counter[str] = Counter()  # ...whose reply shows that kind's first lines
    alarms = misses = total_l = total_d = 0
    try:
        for seed in SEEDS[: args.seeds]:
            items, questions, rng = fold_draw(detector, lookalikes, seed)
            for fold in range(FOLDS):
                test = items[fold::FOLDS]
                fold_detector = _detector_without(detector, {p for p, _ in test})
                detector.model = LinearTextModel(train(*fold_detector._training_set()))
                for phrasing, kind in test:
                    mixed = phrasing + rng.choice(JOINERS) + rng.choice(questions)
                    for label, message in (("alone", phrasing), ("mixed", mixed)):
                        found = causes(detector, message)
                        if kind == NONE:
                            total_l += 1
                            if found:
                                alarms += 1
                                tally["+".join(sorted({f.split("[")[0] for f in found}))] += 1
                                print(f"FA {label}: {message!r}\n     {' | '.join(found)}")
                        else:
                            total_d += 1
                            danger = detector.detect(message)
                            per_kind[kind] += 1
                            first[kind] += danger is not None and danger.kind == kind
                            shown[kind] += danger is not None and kind in danger.kinds
                            if not found:
                                misses += 1
                                if args.dangers:
                                    print(f"MISS {kind} {label}: {message!r}")
    finally:
        detector.model = model
    print(f"\nfalse alarms {alarms}/{total_l} ({alarms / max(total_l, 1):.1%}); causes: {dict(tally)}")
    print(f"missed dangers {misses}/{total_d} ({misses / max(total_d, 1):.1%})")
    for kind in sorted(per_kind):
        count = per_kind[kind]
        right_first, right_shown = first[kind] / count, shown[kind] / count
        print(f"  {kind:<9} {count:>5} messages: right kind first {right_first:.1%}, shown {right_shown:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
