"""Whom an answer points to: a reachable person in or near the quartier, and a line that answers now."""

import datetime as dt

import pytest

from bot.config import PARIS
from bot.conversation import Conversation, MemoryRecorder
from bot.conversation.places import (
    MAYBE_OPEN,
    NONE_OPEN,
    NONE_OPEN_TO_CONFIRM,
    choose_places,
    describe_orientation,
    describe_place,
    is_reachable,
    orient,
    phone_line,
)
from bot.knowledge import load_knowledge
from bot.knowledge.engine import Engine
from bot.knowledge.model import LoadResult

KEY = "places-1"
MONDAY_10 = dt.datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
MONDAY_EVENING = dt.datetime(2026, 11, 30, 19, 0, tzinfo=PARIS)
SATURDAY_10 = dt.datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
SUNDAY_EVENING = dt.datetime(2026, 12, 6, 20, 0, tzinfo=PARIS)


# Six months before the clocks below: the selection tests are about hours a mediator checked
# this year (hours checked over a year ago are only « normalement » open, tested at the end).
CHECKED_THIS_YEAR = "2026-06-01"


@pytest.fixture
def kb_dir(kb_dir):
    """The fixture base with its places checked this year (its files say 2025, long before the clocks)."""
    for path in (kb_dir / "lieux").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("verifie_le: 2025-01-01", f"verifie_le: {CHECKED_THIS_YEAR}"), encoding="utf-8")
    return kb_dir


@pytest.fixture
def kb(kb_dir):
    return load_knowledge(kb_dir).kb


def write_place(kb_dir, ident, checked=CHECKED_THIS_YEAR, **fields):
    lines = [f"id: {ident}", f"nom: Lieu imaginaire {ident}"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines += ["source: https://example.org/lieu", f"verifie_le: {checked}"]
    (kb_dir / "lieux" / f"{ident}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_reachable_means_a_checked_phone_and_a_checked_address(kb):
    assert is_reachable(kb.places["centre-bellevue"])
    assert not is_reachable(kb.places["mairie-bellevue"])  # no phone
    assert not is_reachable(kb.places["france-services-europe"])  # address to be confirmed


def test_a_quartier_without_reachable_place_still_shows_one_nearby(kb):
    chosen = choose_places(kb, "europe", "css", MONDAY_10)
    assert any(is_reachable(p) for p in chosen)
    assert chosen[0].id == "france-services-europe"  # the local place that knows the topic stays first


def test_places_that_name_the_entry_come_before_those_of_its_services(kb_dir):
    write_place(
        kb_dir,
        "cpam-desk",
        quartier="bellevue",
        adresse="4 place Imaginaire",
        telephone="02 00 00 00 09",
        sujets="[cpam]",
    )
    write_place(
        kb_dir,
        "css-desk",
        quartier="bellevue",
        adresse="5 place Imaginaire",
        telephone="02 00 00 00 08",
        sujets="[css]",
    )
    kb = load_knowledge(kb_dir).kb
    ids = [p.id for p in choose_places(kb, "bellevue", "css", MONDAY_EVENING)]
    assert set(ids) == {"centre-bellevue", "css-desk"}  # both name the CSS; the CPAM-only desk waits


def test_the_default_place_without_quartier_is_reachable(kb):
    people = orient(kb, None, None, MONDAY_10)
    assert people.places and all(is_reachable(p) for p in people.places)


@pytest.mark.parametrize(
    "now, expected_line, answers",
    [
        (MONDAY_EVENING, "assurance-maladie", False),  # no line answers: the topic's own, with its hours
        (SATURDAY_10, "renseignements", True),  # the topic's line is closed, the general one answers
    ],
)
def test_phone_line_prefers_the_topic_then_a_line_that_answers_now(kb, now, expected_line, answers):
    line, answering = phone_line(kb, {"css", "cpam"}, now, "css")
    assert (line.id, answering) == (expected_line, answers)


def test_open_local_place_needs_no_phone_line(kb):
    people = orient(kb, "bellevue", "css", MONDAY_10)
    assert people.open_now and people.line is None


@pytest.mark.parametrize("hours_to_verify", [False, True], ids=["hours-checked", "hours-to-confirm"])
def test_a_place_open_only_by_hours_to_confirm_still_comes_with_a_line(kb_dir, hours_to_verify):
    """Monday 10h the Bellevue centre is open by its hours; unconfirmed hours may be wrong: give a number too."""
    path = kb_dir / "lieux" / "centre-bellevue.yaml"
    if hours_to_verify:
        path.write_text(path.read_text(encoding="utf-8") + "a_verifier: [horaires]\n", encoding="utf-8")
    people = orient(load_knowledge(kb_dir).kb, "bellevue", "css", MONDAY_10)
    text = describe_orientation(people, MONDAY_10)
    assert people.open_now is not hours_to_verify and people.maybe_open is hours_to_verify
    assert ("Par téléphone, maintenant : 0000" in text) is hours_to_verify
    assert (MAYBE_OPEN in text) is hours_to_verify
    assert people.first_opening is None  # it may be open: no « first opening »
    assert NONE_OPEN not in text and NONE_OPEN_TO_CONFIRM not in text


def test_when_nothing_is_open_the_reply_says_when_and_gives_a_line(engine, recorder):
    conversation = Conversation(engine, recorder, clock=lambda: SUNDAY_EVENING)
    conversation.press(KEY, "q:bellevue")
    reply = conversation.press(KEY, "e:css")
    # The mairie's hours are still to verify: that nothing is open is only « normalement » true.
    assert f"{NONE_OPEN_TO_CONFIRM} Le premier ouvre demain à 9h : Centre social imaginaire" in reply.text
    assert "Par téléphone : 0000 – Ligne imaginaire de l'Assurance maladie" in reply.text
    assert "répond à partir de demain à 8h30" in reply.text
    assert reply.phone_line == "assurance-maladie"
    assert reply.places[0] == "centre-bellevue"


def test_a_line_that_answers_now_is_announced_as_such(engine, recorder):
    conversation = Conversation(engine, recorder, clock=lambda: SATURDAY_10)
    conversation.press(KEY, "q:bellevue")
    reply = conversation.press(KEY, "e:css")
    assert "Par téléphone, maintenant : 0001 – Ligne imaginaire de renseignements (le samedi matin)" in reply.text


@pytest.fixture
def general_line_hours_unconfirmed(kb_dir):
    """The Saturday line's timetable is written but still to verify (last year's hours, say)."""
    path = kb_dir / "lignes" / "renseignements.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "a_verifier: [horaires]\n", encoding="utf-8")
    return kb_dir


def test_hours_still_to_verify_never_promise_an_answer_now(general_line_hours_unconfirmed):
    kb = load_knowledge(general_line_hours_unconfirmed).kb
    line, answering = phone_line(kb, {"css", "cpam"}, SATURDAY_10, "css")
    assert (line.id, answering) == ("assurance-maladie", False)


def test_a_general_line_with_hours_to_verify_says_so(general_line_hours_unconfirmed, recorder):
    engine = Engine.load(general_line_hours_unconfirmed)
    conversation = Conversation(engine, recorder, clock=lambda: SATURDAY_10)
    conversation.press(KEY, "q:bellevue")
    reply = conversation.press(KEY, "e:rsa")  # no topic line for the RSA: the general line is given
    assert "Par téléphone, maintenant" not in reply.text
    assert "Par téléphone : 0001 – Ligne imaginaire de renseignements (le samedi matin (à confirmer))" in reply.text


def test_every_reply_pointing_to_a_person_shows_a_reachable_place(engine, recorder):
    conversation = Conversation(engine, recorder, clock=lambda: SUNDAY_EVENING)
    kb = engine.current.kb
    replies = [conversation.ask(KEY, "ou acheter un velo d occasion")]
    for quartier in kb.quartiers:
        conversation.press(KEY, f"q:{quartier}")
        replies += [conversation.press(KEY, f"e:{entry}") for entry in ("css", "rsa")]
    for reply in replies:
        assert any(is_reachable(kb.places[p]) for p in reply.places), reply.text


def test_a_line_citing_an_unknown_topic_is_an_error(kb_dir):
    (kb_dir / "lignes" / "bad.yaml").write_text(
        'id: bad\nnom: X\ntelephone: "1"\nsujets: [nope]\nsource: s\nverifie_le: 2025-01-01\n', encoding="utf-8"
    )
    result = load_knowledge(kb_dir)
    assert any("« nope »" in str(p) and p.error for p in result.problems)


def test_a_line_needs_a_number_and_readable_hours(kb_dir):
    (kb_dir / "lignes" / "bad.yaml").write_text(
        'id: bad\nnom: X\nhoraires: "lundi 9h"\nsource: s\nverifie_le: 2025-01-01\n', encoding="utf-8"
    )
    messages = [str(p) for p in load_knowledge(kb_dir).errors]
    assert any("telephone" in m for m in messages) and any("illisibles" in m for m in messages)


def test_shipped_lines_load(shipped_base: LoadResult):
    kb = shipped_base.kb
    assert {"caf", "assurance-maladie", "france-travail"} <= set(kb.lines)
    assert kb.lines["assurance-maladie"].phone == "3646"


def test_when_all_shown_places_are_closed_an_open_place_for_the_topic_is_added(kb_dir):
    write_place(
        kb_dir,
        "weekend-desk",
        quartier="brest",
        horaires='"Sa 09:00-17:00"',
        sujets="[css]",
        a_verifier="[adresse, telephone]",
    )
    kb = load_knowledge(kb_dir).kb
    people = orient(kb, "bellevue", "css", SATURDAY_10)
    assert "weekend-desk" in [p.id for p in people.places] and people.open_now
    assert "weekend-desk" not in [p.id for p in orient(kb, "bellevue", "css", MONDAY_10).places]


def add_neighbour(kb_dir, quartier, neighbour):
    path = kb_dir / "quartiers" / f"{quartier}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"voisins: [{neighbour}]\n", encoding="utf-8")


@pytest.fixture
def saturday_desk_in_europe(kb_dir):
    """Bellevue is all closed on Saturday; Europe has a reachable CSS desk open then."""
    write_place(
        kb_dir,
        "europe-desk",
        quartier="europe",
        adresse="9 rue Imaginaire",
        telephone="02 00 00 00 07",
        horaires='"Sa 09:00-12:00"',
        sujets="[css]",
    )
    return kb_dir


def test_when_nothing_is_open_a_reachable_open_place_next_door_is_offered(saturday_desk_in_europe):
    add_neighbour(saturday_desk_in_europe, "bellevue", "europe")
    kb = load_knowledge(saturday_desk_in_europe).kb
    people = orient(kb, "bellevue", "css", SATURDAY_10)
    assert not people.open_now and people.next_door and people.next_door.id == "europe-desk"
    text = describe_orientation(people, SATURDAY_10)
    assert "dans le quartier voisin (Europe)" in text and "9 rue Imaginaire" in text


def test_no_place_next_door_without_a_neighbour_or_when_something_local_is_open(saturday_desk_in_europe):
    kb = load_knowledge(saturday_desk_in_europe).kb
    assert orient(kb, "bellevue", "css", SATURDAY_10).next_door is None  # Europe is not Bellevue's neighbour
    add_neighbour(saturday_desk_in_europe, "bellevue", "europe")
    kb = load_knowledge(saturday_desk_in_europe).kb
    assert orient(kb, "bellevue", "css", MONDAY_10).next_door is None  # the centre social is open


def test_a_place_next_door_must_be_open_by_checked_hours(saturday_desk_in_europe):
    add_neighbour(saturday_desk_in_europe, "bellevue", "europe")
    path = saturday_desk_in_europe / "lieux" / "europe-desk.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "a_verifier: [horaires]\n", encoding="utf-8")
    kb = load_knowledge(saturday_desk_in_europe).kb
    assert orient(kb, "bellevue", "css", SATURDAY_10).next_door is None  # a bus ride on a guess: not offered


def test_a_place_next_door_must_know_the_topic(saturday_desk_in_europe):
    add_neighbour(saturday_desk_in_europe, "bellevue", "europe")
    kb = load_knowledge(saturday_desk_in_europe).kb
    assert orient(kb, "bellevue", "rsa", SATURDAY_10).next_door is None  # the desk knows the CSS only


def test_a_neighbour_must_be_another_known_quartier(kb_dir):
    add_neighbour(kb_dir, "bellevue", "lune")
    problems = load_knowledge(kb_dir).problems
    assert any("europe.yaml" not in str(p) and "« voisins » cite « lune »" in str(p) and p.error for p in problems)


def test_the_reply_lists_the_place_next_door(saturday_desk_in_europe):
    add_neighbour(saturday_desk_in_europe, "bellevue", "europe")
    engine = Engine.load(saturday_desk_in_europe)
    conversation = Conversation(engine, MemoryRecorder(), clock=lambda: SATURDAY_10)
    conversation.press(KEY, "q:bellevue")
    reply = conversation.press(KEY, "e:css")
    assert "europe-desk" in reply.places


@pytest.mark.parametrize(
    ("checked", "warned"),
    [("2025-01-01", True), ("2026-06-01", False)],
    ids=["checked-23-months-ago", "checked-6-months-ago"],
)
def test_facts_checked_over_a_year_ago_are_shown_to_confirm(kb_dir, checked, warned):
    write_place(
        kb_dir, "old-desk", checked=checked, quartier="bellevue", adresse="9 rue Imaginaire", telephone="02 00 00 00 08"
    )
    text = describe_place(load_knowledge(kb_dir).kb.places["old-desk"], MONDAY_10)
    assert "02 00 00 00 08" in text  # still shown: an old phone beats no phone
    year = checked[:4]
    assert (f"Informations relevées en {year} : à confirmer." in text) is warned


def test_an_old_place_with_nothing_checked_is_not_warned_twice(kb_dir):
    write_place(kb_dir, "unknown-desk", quartier="bellevue", a_verifier="[adresse, telephone, horaires]")
    text = describe_place(load_knowledge(kb_dir).kb.places["unknown-desk"], MONDAY_10)
    assert "Informations relevées" not in text


@pytest.mark.parametrize(
    ("checked", "unsure_hours", "expected"),
    [
        ("2026-06-01", False, "  Ouvert maintenant, jusqu'à 12h\n"),
        ("2025-01-01", False, "  Normalement ouvert maintenant, jusqu'à 12h (à confirmer)"),
        ("2026-06-01", True, "  Normalement ouvert maintenant, jusqu'à 12h (à confirmer)"),
    ],
    ids=["checked-this-year", "checked-23-months-ago", "hours-to-verify"],
)
def test_hours_checked_over_a_year_ago_never_say_open_now_as_if_sure(kb_dir, checked, unsure_hours, expected):
    fields = {"quartier": "bellevue", "adresse": "9 rue Imaginaire", "horaires": '"Mo 09:00-12:00"'}
    if unsure_hours:
        fields["a_verifier"] = "[horaires]"
    write_place(kb_dir, "desk", checked=checked, **fields)
    text = describe_place(load_knowledge(kb_dir).kb.places["desk"], MONDAY_10) + "\n"
    assert expected in text


@pytest.mark.parametrize(("checked", "surely_open"), [("2026-06-01", True), ("2025-01-01", False)])
def test_a_place_open_by_hours_checked_over_a_year_ago_still_comes_with_a_line(kb_dir, checked, surely_open):
    for path in (kb_dir / "lieux").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"verifie_le: {CHECKED_THIS_YEAR}", f"verifie_le: {checked}"), encoding="utf-8")
    people = orient(load_knowledge(kb_dir).kb, "bellevue", "css", MONDAY_10)
    assert people.open_now is surely_open
    assert (people.line is None) is surely_open  # an old timetable may be wrong: a number is given too
    if not surely_open:
        assert MAYBE_OPEN in describe_orientation(people, MONDAY_10)


def test_a_desk_next_door_with_hours_read_over_a_year_ago_is_offered_as_normally_open(kb_dir):
    """Better a desk a bus ride away than waiting for Tuesday, said with « normalement » and a line."""
    write_place(
        kb_dir,
        "old-europe-desk",
        checked="2025-01-01",
        quartier="europe",
        adresse="9 rue Imaginaire",
        telephone="02 00 00 00 07",
        horaires='"Sa 09:00-12:00"',
        sujets="[css]",
    )
    add_neighbour(kb_dir, "bellevue", "europe")
    people = orient(load_knowledge(kb_dir).kb, "bellevue", "css", SATURDAY_10)
    assert people.next_door is not None and people.next_door.id == "old-europe-desk"
    assert people.line is not None
    assert "Normalement ouvert maintenant, jusqu'à 12h (à confirmer)" in describe_orientation(people, SATURDAY_10)


def _sunday_evening_text(kb_dir) -> str:
    people = orient(load_knowledge(kb_dir).kb, "bellevue", "css", SUNDAY_EVENING)
    assert not people.open_now and people.first_opening is not None
    return describe_orientation(people, SUNDAY_EVENING)


@pytest.mark.parametrize(
    ("mairie_hours", "expected"),
    [
        ("checked", NONE_OPEN + " Le premier ouvre demain à 9h"),
        ("to-verify", NONE_OPEN_TO_CONFIRM + " Le premier ouvre demain à 9h"),
        ("unknown", NONE_OPEN_TO_CONFIRM + " Le premier ouvre demain à 9h"),
    ],
)
def test_nothing_open_is_said_as_sure_only_when_every_place_has_hours_checked_this_year(kb_dir, mairie_hours, expected):
    """A place with hours to verify, or none at all, may be open right now: « normalement … à confirmer »."""
    path = kb_dir / "lieux" / "mairie-bellevue.yaml"
    text = original = path.read_text(encoding="utf-8")
    if mairie_hours == "checked":
        text = text.replace("a_verifier: [horaires, coordonnees]", "a_verifier: [coordonnees]")
    elif mairie_hours == "unknown":
        text = text.replace('horaires: "Tu 14:00-16:30"\n', "")
    assert (text != original) is (mairie_hours != "to-verify")
    path.write_text(text, encoding="utf-8")
    reply = _sunday_evening_text(kb_dir)
    assert expected in reply
    if mairie_hours == "checked":
        assert NONE_OPEN_TO_CONFIRM not in reply


def test_the_first_opening_read_over_a_year_ago_is_only_normally_so(kb_dir):
    """Every timetable read in 2025: the closed doors and the first opening are both « à confirmer »."""
    for path in (kb_dir / "lieux").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"verifie_le: {CHECKED_THIS_YEAR}", "verifie_le: 2025-01-01"), encoding="utf-8")
    reply = _sunday_evening_text(kb_dir)
    assert f"{NONE_OPEN_TO_CONFIRM} Le premier ouvre normalement demain à 9h (à confirmer) : Centre social" in reply
    assert NONE_OPEN + " " not in reply
