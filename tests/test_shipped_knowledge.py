"""The knowledge base residents actually read: complete, sourced, short enough, honest."""

from pathlib import Path

import pytest
import yaml

from bot.knowledge import ANSWER_MAX_WORDS
from bot.knowledge.model import LoadResult

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge"
CONTRACT = ROOT / "tests" / "data" / "kb-topics.yaml"  # the shared coverage contract, copied into the repo
QUARTIERS = ("bellevue", "lambezellec", "quatre-moulins", "europe", "saint-pierre")


@pytest.fixture(scope="module")
def shipped(shipped_base: LoadResult) -> LoadResult:
    return shipped_base


def contract_ids() -> dict[str, list[str]]:
    data = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    return {kind: list(data.get(kind) or {}) for kind in ("rights", "services", "intents", "quartiers")}


def test_shipped_base_validates(shipped):
    assert [str(p) for p in shipped.errors] == []


def test_no_shipped_phrasing_is_two_glued_together(shipped):
    assert [str(p) for p in shipped.problems if "collée à l'élément du dessus" in p.message] == []


@pytest.mark.parametrize("kind, expected_kind", [("rights", "right"), ("services", "service"), ("intents", "intent")])
def test_every_contract_id_exists_with_its_kind(shipped, kind, expected_kind):
    for entry_id in contract_ids()[kind]:
        assert entry_id in shipped.kb.entries, f"{entry_id} missing"
        assert shipped.kb.entries[entry_id].kind == expected_kind, entry_id


def test_every_contract_quartier_exists(shipped):
    assert set(contract_ids()["quartiers"]) <= set(shipped.kb.quartiers)


@pytest.mark.parametrize("quartier", QUARTIERS)
def test_every_quartier_has_at_least_two_mediation_points(shipped, quartier):
    assert len(shipped.kb.places_in(quartier)) >= 2


def test_every_right_points_to_a_service(shipped):
    for entry in shipped.kb.entries.values():
        if entry.kind == "right":
            assert entry.services, entry.id
            assert all(shipped.kb.entries[s].kind == "service" for s in entry.services), entry.id


def test_every_entry_has_at_least_ten_phrasings(shipped):
    short = {e.id: len(e.phrasings) for e in shipped.kb.entries.values() if len(e.phrasings) < 10}
    assert short == {}


def test_no_answer_exceeds_the_length_budget(shipped):
    long = {
        e.id: len(e.answer.split()) for e in shipped.kb.entries.values() if len(e.answer.split()) > ANSWER_MAX_WORDS
    }
    assert long == {}


def test_every_fact_has_a_source_and_a_date(shipped):
    for item in [*shipped.kb.entries.values(), *shipped.kb.places.values(), *shipped.kb.quartiers.values()]:
        assert item.source, item.id
        assert item.checked is not None, item.id


def test_places_without_a_source_for_a_fact_mark_it_to_be_verified(shipped):
    """A place with no address, phone or hours must say so rather than stay silent."""
    for place in shipped.kb.places.values():
        for field_name, value in (
            ("adresse", place.address),
            ("telephone", place.phone),
            ("horaires", place.hours or place.hours_text),
        ):
            if value is None:
                assert field_name in place.to_verify, f"{place.id}: {field_name} missing and not marked à vérifier"


@pytest.mark.parametrize(
    "kind, numbers",
    [
        ("violence", ("17", "112", "114", "3919")),
        ("suicide", ("3114", "15")),
        ("enfant", ("119", "17")),
        ("rue", ("115",)),
        ("medical", ("15", "112", "114")),
    ],
)
def test_each_danger_starts_with_its_own_numbers(shipped, kind, numbers):
    assert shipped.kb.dangers is not None
    danger = shipped.kb.dangers.kinds[kind]
    for number in numbers:
        assert f" {number}" in danger.message, (kind, number)
    assert danger.source and danger.checked


# Written for one gender only, or in inclusive forms hard to read in easy French (FALC).
NOT_FOR_EVERYONE = ("écoutée", "seul·e", "·e ", "(e)", "prête à", "accompagnée")


@pytest.mark.parametrize("kind", ["violence", "suicide", "enfant", "rue", "medical"])
def test_what_a_person_in_danger_reads_first_suits_everyone(shipped, kind):
    """Anyone may be in danger: the first lines, and the entry after them, speak to every reader."""
    assert shipped.kb.dangers is not None
    danger = shipped.kb.dangers.kinds[kind]
    entry = shipped.kb.entries.get(danger.entry) if danger.entry else None
    texts = [danger.message, danger.brief, *([entry.answer, *entry.steps] if entry else [])]
    for text in texts:
        for form in NOT_FOR_EVERYONE:
            assert form not in text, (kind, form, text)


def _amount_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "€" in line]


def test_every_amount_shown_is_dated_2026_or_marked_to_confirm(shipped):
    """Amounts change each April or January: an old figure must say it is old."""
    undated = [
        f"{entry.id}: {line.strip()}"
        for entry in shipped.kb.entries.values()
        for line in _amount_lines(entry.answer + "\n" + entry.more)
        if "2026" not in line and "à confirmer" not in line
    ]
    assert undated == []


# The seven priority neighbourhoods of the 2024-2030 city contract, as residents write them:
# (text, quartier it is in, or the candidate to confirm with the resident when uncertain).
PRIORITY_NEIGHBOURHOODS = [
    ("j'habite à Bellevue", "bellevue", None),
    ("je suis de ponta", "europe", None),
    ("on vit à pontanesen", "europe", None),
    ("cité de kérourien", "saint-pierre", None),
    ("kerouryen", "saint-pierre", None),
    ("lambé bourg", "lambezellec", None),
    ("bourg de lambezellec", "lambezellec", None),
    ("kerangof loti", "quatre-moulins", None),
    ("Kérangoff-Loti", "quatre-moulins", None),
    ("j'habite à kerdern", None, "lambezellec"),
    ("quéliverzan-pontaniou", None, "quatre-moulins"),
    ("keliverzan", None, "quatre-moulins"),
]


@pytest.mark.parametrize("text, quartier, candidate", PRIORITY_NEIGHBOURHOODS)
def test_priority_neighbourhoods_are_recognised_or_confirmed(shipped, text, quartier, candidate):
    from bot.understanding.gazetteer import Gazetteer

    guess = Gazetteer(shipped.kb).detect(text)
    assert guess.quartier == quartier
    if candidate:
        assert candidate in guess.candidates
