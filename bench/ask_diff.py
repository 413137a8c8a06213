"""Where the reply (`ask --jsonl`) loses a question the matcher alone gets right, and why (issue #11).

`bench/eval.py` prints the matcher's figures and the record's; this names, per
question whose record answer differs from the matcher's, the part of the reply
that changed it: `danger` (an emergency reply put first: its kind, the model's
probability, whether only an exact expression found it), `dont-know` (a bare
« je sais pas »), `cry` (« au secours » alone). Each difference is classed as
`lost` (the matcher was right, the reply is not), `won` (the reverse) or
`neutral`. A held-out set (`own-questions*`) prints counts only, never its
questions, so no one tunes on them.

Run: python bench/ask_diff.py FILE [FILE…] [--knowledge DIR] [--words-only]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))

from eval import Case, bot_engine, load_cases  # noqa: E402

from bot.cli import ask_record  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.knowledge.engine import Engine, model_cache_in  # noqa: E402


def is_right(case: Case, entry_id: str | None) -> bool:
    """Correct as `correct overall` counts it: an expected id answered, or out of scope and not answered."""
    return entry_id in case.expected if case.expected else entry_id is None


def cause_of(engine: Engine, question: str, record: dict) -> str:
    """The part of the reply that put its own answer in place of the matcher's."""
    if record["appel_aide"]:
        return "cry"
    if record["urgence"]:
        found = engine.current.danger.detect(question)
        how = "expression" if found is not None and found.by_expression else "model"
        score = f"{found.score:.2f}" if found is not None else "?"
        return f"danger {record['urgence']} ({how}, p={score})"
    return "dont-know" if record["id"] is None else "other"


def differences(engine: Engine, cases: list[Case]) -> list[tuple[str, Case, str | None, str | None, str]]:
    """(lost | won | neutral, case, matcher's id, record's id, cause) for each question whose answers differ."""
    found = []
    matcher = engine.current.matcher
    for case in cases:
        matched = matcher.match(case.question).entry_id
        record = ask_record(engine, case.question)
        if record["id"] == matched:
            continue
        before, after = is_right(case, matched), is_right(case, record["id"])
        verdict = "lost" if before and not after else "won" if after and not before else "neutral"
        found.append((verdict, case, matched, record["id"], cause_of(engine, case.question, record)))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--words-only", action="store_true")
    args = parser.parse_args(argv)
    settings = load_settings()
    cache = model_cache_in(settings.model_cache_dir, create=True)
    engine = bot_engine(args.knowledge, cache, settings.sentences and not args.words_only)
    for path in args.files:
        cases = load_cases(path)
        diffs = differences(engine, cases)
        held_out = path.name.startswith("own-")
        verdicts = Counter(verdict for verdict, *_ in diffs)
        print(
            f"{path.name}{' (held out: counts only)' if held_out else ''}: {len(cases)} questions, "
            f"{len(diffs)} answered otherwise by the reply: lost {verdicts['lost']}, won {verdicts['won']}, "
            f"neutral {verdicts['neutral']}"
        )
        print("  by cause: " + str(dict(Counter(cause.split(" (")[0] for *_, cause in diffs))))
        if held_out:
            continue
        for verdict, case, matched, answered, cause in diffs:
            print(
                f"  {verdict:7s} {case.question[:70]!r} expected {'/'.join(case.expected) or 'none'}: "
                f"matcher {matched}, reply {answered} — {cause}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
