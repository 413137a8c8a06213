"""The people an answer points to: which help points, described how, and whom to call now.

A help point is only useful if the resident can actually get there or call.
Places that know the question's topic come first (a CAF question shows a
place that helps with CAF files), then places whose phone and address are both
checked, then those open now; at least one reachable place is always shown.
When none of them is open now, the resident is told when the first opens and
given a phone line of the service concerned that answers now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import FACT_MAX_AGE_DAYS
from bot.conversation.hours import from_text, is_open_at, next_opening, opening_status, when_text
from bot.knowledge.checks import checked_long_ago
from bot.knowledge.model import CITY_WIDE, Contact, KnowledgeBase, Line, Place, distance_km

TO_CONFIRM = " (à confirmer)"


def _with_doubt(value: str, contact: Contact, field_name: str) -> str:
    return value + TO_CONFIRM if contact.unsure(field_name) else value


def hours_unsure(contact: Contact, now: dt.datetime) -> bool:
    """Hours a mediator still has to confirm, or last checked over a year ago.

    A timetable read long ago often changed since (summer hours, a new
    schedule): the bot says « normalement … (à confirmer) », never a bare
    « ouvert maintenant » that sends someone to a closed door.
    """
    if contact.unsure("horaires"):
        return True
    return contact.checked is not None and checked_long_ago(contact.checked, now.date(), FACT_MAX_AGE_DAYS)


def _hours_status(place: Place, now: dt.datetime) -> str:
    """« Ouvert maintenant, jusqu'à 17h », or « Normalement ouvert … (à confirmer) » for unsure hours."""
    status = opening_status(place.hours, now)
    if not status:
        return ""
    if hours_unsure(place, now):
        return "Normalement " + status + TO_CONFIRM
    return status[0].upper() + status[1:]


def describe_place(place: Place, now: dt.datetime, distance: float | None = None) -> str:
    """One help point in a few lines; facts not yet checked say "à confirmer"."""
    lines = [f"• {place.name}" + (" (quartier à confirmer)" if place.unsure("quartier") else "")]
    if distance is not None:
        near = f"à environ {distance:.1f} km".replace(".", ",")
        if place.unsure("coordonnees"):
            near += ", à confirmer"
        lines[0] += f" ({near})"
    if place.address:
        lines.append("  " + _with_doubt(place.address, place, "adresse"))
    else:
        lines.append("  Adresse à confirmer")
    if place.phone:
        lines.append("  Tél. " + _with_doubt(place.phone, place, "telephone"))
    elif place.unsure("telephone"):  # unknown but listed in a_verifier: say so, as LISEZMOI promises
        lines.append("  Téléphone à confirmer")
    status = _hours_status(place, now)
    if status:
        lines.append("  " + status)
    elif place.hours_text:
        lines.append("  Horaires : " + _with_doubt(place.hours_text, place, "horaires"))
    else:
        lines.append("  Horaires à confirmer")
    checked = place.checked
    if checked and checked_long_ago(checked, now.date(), FACT_MAX_AGE_DAYS) and _shows_a_checked_fact(place):
        lines.append(f"  Informations relevées en {checked.year} : à confirmer.")
    return "\n".join(lines)


def _shows_a_checked_fact(place: Place) -> bool:
    """Only worth the warning when something is shown as true; unsure facts already say so."""
    shown = {"adresse": place.address, "telephone": place.phone, "horaires": place.hours or place.hours_text}
    return any(value and not place.unsure(field) for field, value in shown.items())


# --------------------------------------------------------------------------- choosing whom to show

MAX_LOCAL_PLACES = 2
NONE_OPEN = "Aucun de ces lieux n'est ouvert maintenant."
NONE_OPEN_TO_CONFIRM = "Normalement, aucun de ces lieux n'est ouvert maintenant (horaires à confirmer)."
MAYBE_OPEN = "Ces horaires sont à confirmer : le lieu est peut-être fermé."


def is_reachable(place: Place) -> bool:
    """A checked phone and a checked address: someone can call or walk in without guessing."""
    return place.reachable


def is_open_now(contact: Contact, now: dt.datetime) -> bool:
    """A place or a phone line whose hours say it is open at `now` (unknown hours: not open)."""
    return is_open_at(contact.hours, now) is True


def is_surely_open_now(contact: Contact, now: dt.datetime) -> bool:
    """Open at `now` by hours a mediator has checked within the last year.

    Only these may spare the resident a phone line: a place open by hours
    still « à confirmer », or read over a year ago, may well be shut, as a
    line's unchecked hours never promise that someone picks up (see `line_answers_at`).
    """
    return not hours_unsure(contact, now) and is_open_now(contact, now)


def is_open_by_checked_hours(contact: Contact, now: dt.datetime) -> bool:
    """Open at `now` by hours a mediator checked, however long ago.

    Enough to offer a desk next door (shown with « normalement … à confirmer »
    and a phone line) when nothing else is open; not enough to spare the line.
    """
    return not contact.unsure("horaires") and is_open_now(contact, now)


def topics_of(kb: KnowledgeBase, entry_id: str | None) -> set[str]:
    """The entry and the services it sends people to: what a helpful place should know about."""
    entry = kb.entries.get(entry_id) if entry_id else None
    if entry is None or entry_id is None:
        return set()
    return {entry_id, *entry.services}


# How a place ranks for one question, smallest first: not naming the entry, not knowing its topic,
# unreachable, how closed now (0 surely open, 1 open by hours to confirm, 2 closed or unknown),
# minus the contract priorities it serves, not a mediation desk, its name.
Rank = tuple[bool, bool, bool, int, int, bool, str]


def closedness(contact: Contact, now: dt.datetime) -> int:
    """0 open by hours checked this year, 1 open by hours « à confirmer » or old, 2 closed or hours unknown."""
    if is_surely_open_now(contact, now):
        return 0
    return 1 if is_open_now(contact, now) else 2


def _ranker(kb: KnowledgeBase, quartier: str | None, entry_id: str | None, now: dt.datetime) -> Callable[[Place], Rank]:
    """Topic first, then reachable, then open now; the city contract's priorities break ties.

    A place naming the entry itself (« aide-alimentaire ») knows it better than
    one naming only a service the entry sends people to (« france-services »).
    """
    topics = topics_of(kb, entry_id)
    priorities = set(kb.quartiers[quartier].priorities) if quartier in kb.quartiers else set()

    def rank(place: Place) -> Rank:
        mediation = "mediation-quartier" in place.topics or "france-services" in place.topics
        return (
            entry_id not in place.topics,
            not topics & set(place.topics),
            not is_reachable(place),
            closedness(place, now),
            -len(priorities & set(place.topics)),
            not mediation,
            place.name,
        )

    return rank


def choose_places(
    kb: KnowledgeBase, quartier: str | None, entry_id: str | None, now: dt.datetime, limit: int = MAX_LOCAL_PLACES
) -> list[Place]:
    """The help points to show: the quartier's own, topic first, always at least one reachable."""
    topics = topics_of(kb, entry_id)
    rank = _ranker(kb, quartier, entry_id, now)
    if quartier not in kb.quartiers:
        return _default_places(kb, rank)
    local = sorted(kb.places_in(quartier), key=rank)
    chosen = local[:limit]
    if not any(is_reachable(p) for p in chosen):
        reachable = [p for p in local if is_reachable(p)] or _nearest_reachable(kb, quartier, rank)
        if reachable:
            chosen = chosen[: limit - 1] + reachable[:1]
    city = sorted(kb.city_wide_places(), key=rank)
    if city and _city_desk_needed(city[0], chosen, entry_id, topics):
        chosen.append(city[0])  # the city-wide desk for this topic (CCAS, tribunal…)
    return chosen or _default_places(kb, rank)


def _city_desk_needed(desk: Place, chosen: list[Place], entry_id: str | None, topics: set[str]) -> bool:
    """Add the city-wide desk when it knows the question and no reachable local place does."""
    if entry_id in desk.topics:
        return not any(entry_id in p.topics and is_reachable(p) for p in chosen)
    return bool(topics & set(desk.topics)) and not any(topics & set(p.topics) for p in chosen)


def _default_places(kb: KnowledgeBase, rank: Callable[[Place], Rank]) -> list[Place]:
    """No quartier known: one reachable place that knows the topic, open now, for the whole city if possible."""

    def key(place: Place) -> tuple[bool, bool, bool, int, bool, int, bool, str]:
        names_entry, knows_topic, unreachable, closed, priorities, not_mediation, name = rank(place)
        return (
            unreachable,
            names_entry,
            knows_topic,
            closed,
            place.quartier != CITY_WIDE,
            priorities,
            not_mediation,
            name,
        )

    return sorted(kb.places.values(), key=key)[:1]


def _nearest_reachable(kb: KnowledgeBase, quartier: str, rank: Callable[[Place], Rank]) -> list[Place]:
    """No reachable place in the quartier: reachable places elsewhere, nearest to its help points first."""
    points = [(p.lat, p.lon) for p in kb.places_in(quartier) if p.lat is not None and p.lon is not None]
    centre = (sum(a for a, _ in points) / len(points), sum(b for _, b in points) / len(points)) if points else None

    def far(place: Place) -> float:
        if centre is None or place.lat is None or place.lon is None:
            return float("inf")
        return distance_km(centre[0], centre[1], place.lat, place.lon)

    others = [p for p in kb.places.values() if is_reachable(p) and p.quartier != quartier]
    return sorted(others, key=lambda p: (rank(p)[0], far(p), rank(p)))


def _open_elsewhere(
    kb: KnowledgeBase, quartier: str | None, entry_id: str, now: dt.datetime, chosen: list[Place]
) -> list[Place]:
    """Everything shown is closed: a place of the quartier or of the whole city naming the topic, open now.

    On a Saturday the only day centre open (« la Halte ») matters more than a
    closed desk, even with details still « à confirmer ».
    """
    around = [*(kb.places_in(quartier) if quartier in kb.quartiers else []), *kb.city_wide_places()]
    candidates = [p for p in around if p not in chosen and entry_id in p.topics and is_open_now(p, now)]
    return sorted(candidates, key=lambda p: (not is_surely_open_now(p, now), not is_reachable(p), p.name))[:1]


def _open_next_door(kb: KnowledgeBase, quartier: str | None, entry_id: str, now: dt.datetime) -> list[Place]:
    """Still nobody open: a reachable place of a neighbouring quartier (« voisins ») open now, topic first.

    A short bus ride to a desk that is open beats waiting for Tuesday, but only
    a place that knows the question (the entry or a service it sends people to).
    """
    if quartier not in kb.quartiers:
        return []
    topics = topics_of(kb, entry_id)
    candidates = [
        p
        for neighbour in kb.quartiers[quartier].neighbours
        for p in kb.places_in(neighbour)
        if is_reachable(p) and is_open_by_checked_hours(p, now) and topics & set(p.topics)
    ]
    return sorted(candidates, key=lambda p: (entry_id not in p.topics, p.name))[:1]


def line_answers_at(line: Line, now: dt.datetime) -> bool:
    """Only checked hours may promise that someone picks up now.

    Hours a mediator still has to confirm (« horaires » in a_verifier, e.g. last year's
    timetable) are shown with « à confirmer », never as « maintenant ».
    """
    return not line.unsure("horaires") and is_open_at(line.hours, now) is True


def phone_line(
    kb: KnowledgeBase, topics: set[str], now: dt.datetime, entry_id: str | None = None
) -> tuple[Line | None, bool]:
    """The number to call: the topic's own line if it answers now, else a general one that does.

    The entry's own number comes first, then a line naming the entry (3646
    for the CSS), then the lines of the services it sends people to. When none answers now, the
    topic's own line (or a general one) is still given, with its hours, so
    the resident knows when to call.
    """
    entry = kb.entries.get(entry_id) if entry_id else None
    own_number = "".join(entry.phone.split()) if entry and entry.phone else None
    own = sorted(
        (line for line in kb.lines.values() if not line.general and topics & set(line.topics)),
        # The number the entry itself gives (3919 for violences) before other lines of the topic.
        key=lambda line: ("".join(line.phone.split()) != own_number, entry_id not in line.topics, line.id),
    )
    general = sorted((line for line in kb.lines.values() if line.general), key=lambda line: line.id)
    for line in own + general:
        if line_answers_at(line, now):
            return line, True
    fallback = own + general
    return (fallback[0], False) if fallback else (None, False)


@dataclass(frozen=True)
class Orientation:
    """The people an answer points to, and what to do when none of them is open now."""

    places: tuple[Place, ...]
    open_now: bool
    first_opening: tuple[Place, dt.datetime] | None = None
    line: Line | None = None
    line_answers_now: bool = False
    next_door: Place | None = None  # shown only when nothing else is open: open now in a neighbouring quartier
    next_door_quartier: str = ""
    maybe_open: bool = False  # a place shown is open now only by hours still « à confirmer »


def orient(
    kb: KnowledgeBase, quartier: str | None, entry_id: str | None, now: dt.datetime, limit: int = MAX_LOCAL_PLACES
) -> Orientation:
    """Places to show and, if none is open now, when the first opens and a line to call."""
    chosen = choose_places(kb, quartier, entry_id, now, limit)
    if entry_id and not any(is_surely_open_now(p, now) for p in chosen):
        chosen += _open_elsewhere(kb, quartier, entry_id, now, chosen)
    return _orientation(kb, tuple(chosen), quartier, entry_id, now)


def orient_city_wide(kb: KnowledgeBase, entry_id: str | None, now: dt.datetime) -> Orientation | None:
    """Before the quartier is known: the city-wide desk for this topic (CCAS, tribunal…), reachable first.

    An answer that waits for the quartier would otherwise give only a national
    number; a desk for the whole city is right for everyone, wherever they live
    (never one quartier's place, which may be the wrong side of town). None when
    the base has no city-wide place with an address.
    """
    rank = _ranker(kb, None, entry_id, now)
    city = sorted((p for p in kb.city_wide_places() if p.address), key=lambda p: (not is_reachable(p), rank(p)))[:1]
    return _orientation(kb, tuple(city), None, entry_id, now) if city else None


def _orientation(
    kb: KnowledgeBase, places: tuple[Place, ...], quartier: str | None, entry_id: str | None, now: dt.datetime
) -> Orientation:
    """`places` and, when none is surely open now, when the first opens, a line to call and a neighbour open now.

    A place open only by hours still « à confirmer » does not count as open:
    the line is given all the same, and no « first opening » is announced
    (the place may be open right now).
    """
    if any(is_surely_open_now(p, now) for p in places):
        return Orientation(places, open_now=True)
    maybe_open = any(is_open_now(p, now) for p in places)
    openings = [] if maybe_open else [(p, when) for p in places if (when := next_opening(p.hours, now)) is not None]
    first = min(openings, key=lambda item: item[1]) if openings else None
    line, answers = phone_line(kb, topics_of(kb, entry_id), now, entry_id)
    next_door = _open_next_door(kb, quartier, entry_id, now) if entry_id else []
    if next_door:
        neighbour = kb.quartiers[next_door[0].quartier].name
        return Orientation(places, False, first, line, answers, next_door[0], neighbour, maybe_open=maybe_open)
    return Orientation(places, False, first, line, answers, maybe_open=maybe_open)


def describe_line(line: Line, now: dt.datetime, answers_now: bool) -> str:
    """ "Par téléphone maintenant : 3646 – Assurance maladie (du lundi au vendredi…)"."""
    hours = line.hours_text or ""
    if line.hours and line.unsure("horaires"):  # a timetable written but not confirmed
        hours = hours + TO_CONFIRM if hours else "heures à confirmer"
    elif line.hours and not answers_now and (when := next_opening(line.hours, now)):
        hours = f"répond {from_text(when, now)}" + (f" ; {hours}" if hours else "")
    doubt = TO_CONFIRM if line.unsure("telephone") else ""
    lead = "Par téléphone, maintenant" if answers_now else "Par téléphone"
    return f"{lead} : {line.phone}{doubt} – {line.name}" + (f" ({hours})" if hours else "")


def _all_hours_sure(places: tuple[Place, ...], now: dt.datetime) -> bool:
    """Every place shown has hours checked this year: only then is « closed » a fact, not a guess."""
    return all(p.hours and not hours_unsure(p, now) for p in places)


def _none_open_text(places: tuple[Place, ...], first: tuple[Place, dt.datetime], now: dt.datetime) -> str:
    """« Aucun de ces lieux n'est ouvert maintenant. Le premier ouvre … », hedged when the hours may be wrong.

    A timetable read over a year ago (or still to verify), or a place with no
    hours at all, may hide a desk that is open right now: the resident is told
    « normalement … à confirmer », never a closed door as a certainty.
    """
    place, when = first
    opens = f"Le premier ouvre {when_text(when, now)} : {place.name}."
    if hours_unsure(place, now):
        opens = f"Le premier ouvre normalement {when_text(when, now)} (à confirmer) : {place.name}."
    lead = NONE_OPEN if _all_hours_sure(places, now) else NONE_OPEN_TO_CONFIRM
    return f"{lead} {opens}"


def place_in_one_line(place: Place) -> str:
    """A help point as one short line, « Nom, tél. … » (facts not yet checked say « à confirmer »)."""
    if place.phone:
        return f"{place.name}, tél. {_with_doubt(place.phone, place, 'telephone')}"
    return place.name + (" (téléphone à confirmer)" if place.unsure("telephone") else "")


def describe_orientation(orientation: Orientation, now: dt.datetime) -> str:
    """The places, then, if none is open now, when the first opens and a number to call."""
    lines = [describe_place(p, now) for p in orientation.places]
    if not orientation.open_now:
        if orientation.maybe_open:
            lines.append(MAYBE_OPEN)
        if orientation.first_opening:
            lines.append(_none_open_text(orientation.places, orientation.first_opening, now))
        if orientation.next_door:
            lines.append(f"Ouvert maintenant, dans le quartier voisin ({orientation.next_door_quartier}) :")
            lines.append(describe_place(orientation.next_door, now))
        if orientation.line:
            lines.append(describe_line(orientation.line, now, orientation.line_answers_now))
    return "\n".join(lines)
