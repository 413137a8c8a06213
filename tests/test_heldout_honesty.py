"""Our own held-out sets measure generalisation only if the knowledge base never copies them.

The held-out questions in `bench/` were written apart from the phrasings; a phrasing added later
that nearly repeats one of them would turn a measure of understanding into a measure of memory.
Short everyday sentences ("je dors dehors ce soir") may coincide by nature, so only questions of
six words or more are compared.
"""

from pathlib import Path

import pytest
import yaml
from rapidfuzz import fuzz, process

from bot.knowledge import load_knowledge
from bot.understanding.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = (
    sorted((ROOT / "bench").glob("own-questions*.yaml"))
    + sorted((ROOT / "bench").glob("own-safety*.yaml"))
    + sorted((ROOT / "bench").glob("unmet-needs-heldout*.yaml"))
)
MIN_WORDS = 6
NEAR_COPY = 92  # rapidfuzz ratio on folded text: one or two words changed at most


def held_out_questions(path: Path) -> list[str]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    questions: list[str] = []
    for item in items:
        questions.extend([item["q"]] if "q" in item else item.get("questions", []))
    return questions


@pytest.fixture(scope="module")
def shipped_phrasings() -> list[str]:
    kb = load_knowledge(ROOT / "knowledge").kb
    phrasings = [p for entry_id in kb.entries for p in kb.phrasings_of(entry_id)]
    if kb.dangers is not None:
        phrasings += [p for kind in kb.dangers.kinds.values() for p in kind.phrasings]
        phrasings += list(kb.dangers.lookalikes)
    return sorted({fold(p) for p in phrasings})


def near_copies(questions: list[str], phrasings: list[str]) -> list[tuple[str, str]]:
    found = []
    for question in questions:
        folded = fold(question)
        if len(folded.split()) < MIN_WORDS:
            continue
        match = process.extractOne(folded, phrasings, scorer=fuzz.ratio, score_cutoff=NEAR_COPY)
        if match:
            found.append((question, match[0]))
    return found


def test_the_guard_sees_a_copy():
    phrasings = [fold("mon propriétaire refuse de rendre la caution depuis trois mois")]
    assert near_copies(["Mon proprietaire refuse de rendre la caution depuis 3 mois !"], phrasings)
    assert not near_copies(["ma caution n'est toujours pas rendue, que faire ?"], phrasings)


@pytest.mark.parametrize("path", HELD_OUT, ids=lambda p: p.name)
def test_no_phrasing_copies_a_held_out_question(path, shipped_phrasings):
    copies = near_copies(held_out_questions(path), shipped_phrasings)
    assert not copies, (
        f"{path.name}: knowledge phrasings that repeat held-out questions (remove the phrasing "
        f"from knowledge/; never edit a held-out set to pass): {copies}"
    )


def test_the_danger_thresholds_read_ordinary_questions_from_tuning_sets_only():
    """bench/safety_thresholds.py counts ordinary questions read alone: never those of a held-out set."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import safety_thresholds

    read = {path.name for path in safety_thresholds.UNMET_TUNING}
    assert "unmet-needs.yaml" in read and any(name.startswith("unmet-needs-tune") for name in read)
    assert not read & {path.name for path in HELD_OUT}


TUNING_QUESTION_SETS = sorted((ROOT / "bench").glob("*-tune*.yaml"))


def test_question_tuning_sets_are_never_read_as_held_out():
    """bench/oos-tune.yaml and bench/ask-tune.yaml may be tuned on: no held-out list may count them."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import eval as bench_eval

    names = {path.name for path in TUNING_QUESTION_SETS}
    assert {"oos-tune.yaml", "ask-tune.yaml"} <= names
    assert not names & {path.name for path in HELD_OUT}
    assert not names & {path.name for path in bench_eval.held_out_sets().values()}


@pytest.mark.parametrize("name", ["oos-tune.yaml", "ask-tune.yaml"])
def test_question_tuning_sets_expect_only_ids_the_base_has(name):
    """A tuning set eval.py reads must name real entries, or its figures silently count a typo as wrong."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    import eval as bench_eval

    kb = load_knowledge(ROOT / "knowledge").kb
    cases = bench_eval.load_cases(ROOT / "bench" / name)
    unknown = {e for case in cases for e in case.expected if e not in kb.entries}
    assert cases and not unknown
