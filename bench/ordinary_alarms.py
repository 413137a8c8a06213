"""Ordinary questions that raise a danger alarm, per set, by kind and by cause (issues #9 and #11).

A false alarm on an ordinary question costs twice: the resident gets
emergency numbers instead of the answer, and "correct overall" as
`python -m bot ask --jsonl` reads it loses the question. The look-alike
figures (bench/safety_false_alarms.py) read the mediators' near misses; this
reads what residents ask every day:

- the dev set (`../shared/eval/dev.yaml`, tuned on): each alerting question listed;
- the unmet-needs tuning sets (ordinary needs the base does not answer), listed;
- every `bench/own-questions*.yaml` (held out, never tuned on): counts only, so
  no one tunes on their questions;
- the knowledge base's own ordinary phrasings (rights, services, intents in
  scope; `hors-sujet/` out of scope), each scored by a detector trained
  without it (`FOLDS` folds; the detector's data minus the fold as
  bench/safety_thresholds.py builds it), listed with `--list`.

Questions whose expected entry is one a danger continues with (violences,
hébergement d'urgence, santé mentale) may be dangers themselves and are not
counted. An alarm is `urgence` of the `ask --jsonl` record (for the sets) or
the detector's reading (for the folds); its causes are named as in
bench/safety_false_alarms.py: `expression` (the exact-expression backstop, a
high fever included), `whole` (a short message read whole), `clause` (one
clause or two neighbours), `distant` (a sentence about a danger long over).

Run: python bench/ordinary_alarms.py [--knowledge DIR] [--dev FILE] [--own DIR | --no-own] [--no-kb] [--list]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from safety_false_alarms import causes  # noqa: E402
from safety_thresholds import UNMET_TUNING, _detector_without  # noqa: E402

from bot.cli import ask_record  # noqa: E402
from bot.knowledge.engine import Engine  # noqa: E402
from bot.understanding.danger import DangerDetector, LinearTextModel, train  # noqa: E402

DEV = ROOT.parent / "shared" / "eval" / "dev.yaml"
BENCH = ROOT / "bench"
FOLDS = 5
SEED = 20261203


@dataclass(frozen=True)
class Question:
    text: str
    in_scope: bool


@dataclass
class Alarms:
    """How many questions of a set raise an alarm, by scope, kind and cause."""

    name: str
    listed: bool  # held-out sets are counted, never listed
    asked: Counter[str] = field(default_factory=Counter)  # scope -> questions
    alerting: Counter[str] = field(default_factory=Counter)  # scope -> questions raising an alarm
    kinds: Counter[str] = field(default_factory=Counter)
    causes: Counter[str] = field(default_factory=Counter)
    skipped: int = 0  # questions expecting a danger's own entry
    lines: list[str] = field(default_factory=list)

    def add(self, question: Question, kind: str | None, found: list[str]) -> None:
        scope = "in scope" if question.in_scope else "out of scope"
        self.asked[scope] += 1
        if not kind:
            return
        self.alerting[scope] += 1
        self.kinds[kind] += 1
        cause = "+".join(sorted({f.split("[")[0] for f in found})) or "other"
        self.causes[cause] += 1
        if self.listed:
            self.lines.append(f"  [{kind}] {question.text!r}\n      {' | '.join(found) or 'other'}")

    def report(self, listing: bool = True) -> str:
        total, alerting = sum(self.asked.values()), sum(self.alerting.values())
        scopes = ", ".join(
            f"{scope} {self.alerting[scope]}/{self.asked[scope]}" for scope in ("in scope", "out of scope")
        )
        head = f"{self.name}: {alerting}/{total} ordinary questions alert ({alerting / max(total, 1):.1%}; {scopes})"
        if self.skipped:
            head += f"; {self.skipped} expecting a danger's own entry not counted"
        out = [head]
        if alerting:
            out.append(f"  by kind: {dict(self.kinds.most_common())}; by cause: {dict(self.causes.most_common())}")
        if listing:
            out += self.lines
        return "\n".join(out)


def set_questions(path: Path, danger_entries: set[str]) -> tuple[list[Question], int]:
    """An evaluation set's questions (`q`, `expect`) with their scope, and how many expect a danger's entry."""
    questions, skipped = [], 0
    for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
        expect = item.get("expect")
        expected = set() if expect in (None, "none") else ({expect} if isinstance(expect, str) else set(expect))
        if expected & danger_entries:
            skipped += 1
            continue
        questions.append(Question(str(item["q"]), bool(expected)))
    return questions, skipped


def unmet_questions(paths: Iterable[Path]) -> list[Question]:
    """The unmet-needs tuning sets' questions: ordinary needs the base does not answer (out of scope)."""
    found = []
    for path in paths:
        for need in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found += [Question(str(q), False) for q in need.get("questions") or []]
    return list(dict.fromkeys(found))


def read_set(name: str, questions: list[Question], engine: Engine, *, listed: bool) -> Alarms:
    """Each question as `ask --jsonl` answers it, with what raised its alarm."""
    tally = Alarms(name, listed)
    detector = engine.current.danger
    for question in questions:
        kind = ask_record(engine, question.text)["urgence"]
        tally.add(question, kind, causes(detector, question.text) if kind else [])
    return tally


def knowledge_phrasings(engine: Engine) -> list[Question]:
    """The detector's ordinary phrasings (its negatives that are no look-alike), with their entry's scope."""
    kb = engine.current.kb
    detector = engine.current.danger
    lookalikes = set(detector.lookalikes)
    offtopic = {p for entry_id, e in kb.entries.items() if e.offtopic for p in kb.phrasings_of(entry_id)}
    return [Question(p, p not in offtopic) for p in detector.negatives if p not in lookalikes]


def cross_validated(
    detector: DangerDetector, questions: list[Question], folds: int = FOLDS, seed: int = SEED
) -> Alarms:
    """Each ordinary phrasing read by a detector trained without its fold (the shipped model restored after)."""
    tally = Alarms(f"knowledge base, ordinary phrasings ({folds}-fold cross-validation)", listed=True)
    order = list(questions)
    random.Random(seed).shuffle(order)
    model = detector.model
    try:
        for fold in range(folds):
            test = order[fold::folds]
            fold_detector = _detector_without(detector, {q.text for q in test})
            detector.model = LinearTextModel(train(*fold_detector._training_set()))
            for question in test:
                found = causes(detector, question.text)
                danger = detector.detect(question.text) if found else None
                tally.add(question, danger.kind if danger else None, found)
    finally:
        detector.model = model
    return tally


def own_sets(folder: Path = BENCH) -> list[Path]:
    """Every held-out own question set, in number order (own-questions.yaml first)."""

    def number(path: Path) -> int:
        suffix = path.stem.removeprefix("own-questions").lstrip("-")
        return int(suffix) if suffix.isdigit() else 1

    return sorted(folder.glob("own-questions*.yaml"), key=number)


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--dev", type=Path, default=DEV, help="a tuning set of questions (q, expect)")
    parser.add_argument("--own", type=Path, default=BENCH, help="the folder of the held-out own-questions*.yaml")
    parser.add_argument("--no-own", action="store_true", help="skip the held-out own-questions sets")
    parser.add_argument("--no-kb", action="store_true", help="skip the knowledge base's cross-validation")
    parser.add_argument("--list", action="store_true", help="also list the knowledge base's alerting phrasings")
    args = parser.parse_args(argv)
    engine = Engine.load(args.knowledge)
    kb = engine.current.kb
    danger_entries = set(kb.dangers.entries) if kb.dangers is not None else set()
    results: list[tuple[Alarms, bool]] = []
    if args.dev.exists():
        questions, skipped = set_questions(args.dev, danger_entries)
        tally = read_set(f"dev ({args.dev.name}, tuned on)", questions, engine, listed=True)
        tally.skipped = skipped
        results.append((tally, True))
    unmet = [path for path in UNMET_TUNING if path.exists()]
    if unmet and args.knowledge.resolve() == (ROOT / "knowledge").resolve():
        tally = read_set("unmet-needs tuning sets (out of scope)", unmet_questions(unmet), engine, listed=True)
        results.append((tally, True))
    if not args.no_own:
        for path in own_sets(args.own):
            questions, skipped = set_questions(path, danger_entries)
            tally = read_set(f"{path.name} (held out: counts only)", questions, engine, listed=False)
            tally.skipped = skipped
            results.append((tally, False))
    if not args.no_kb:
        results.append((cross_validated(engine.current.danger, knowledge_phrasings(engine)), args.list))
    for tally, listing in results:
        out(tally.report(listing) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
