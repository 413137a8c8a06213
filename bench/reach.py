"""Can a resident actually reach someone? Every quartier × every right, at fixed times of the week.

For each pair the bot's real reply is built (quartier chosen, then the right's
button pressed) with an injected clock, and the places and phone line it shows
are checked against the knowledge base:

- reachable: the reply shows a place whose phone AND address are checked
  (not « à confirmer »);
- at Monday 10:00, Wednesday 15:00, Thursday 17:30 and Saturday 11:00: is one of the places
  shown open (by its hours), and if not, does the phone line given answer then?
  An « open » or a line « answering now » that rests only on hours checked
  more than a year ago is counted apart, and those places and numbers are
  listed: they are the first to check again.

Usage:  python bench/reach.py [--knowledge DIR] [--summary]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import FACT_MAX_AGE_DAYS, PARIS  # noqa: E402
from bot.conversation import Conversation, MemoryRecorder  # noqa: E402
from bot.conversation.hours import is_open_at  # noqa: E402
from bot.conversation.places import is_reachable, line_answers_at  # noqa: E402
from bot.knowledge import KnowledgeBase, Line, Place  # noqa: E402
from bot.knowledge.checks import checked_long_ago  # noqa: E402
from bot.knowledge.engine import Engine  # noqa: E402

# An ordinary week (no public holiday): the times the issue asks about, and Thursday at 17:30,
# when people leave work and most desks are closing (late desks and lines then matter most).
MOMENTS = {
    "lun. 10h": dt.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS),
    "mer. 15h": dt.datetime(2026, 12, 9, 15, 0, tzinfo=PARIS),
    "jeu. 17h30": dt.datetime(2026, 12, 10, 17, 30, tzinfo=PARIS),
    "sam. 11h": dt.datetime(2026, 12, 5, 11, 0, tzinfo=PARIS),
}
KEY = "bench-reach"


@dataclass
class Outcome:
    quartier: str
    right: str
    reachable: bool
    only_to_confirm: bool  # neither a reachable place nor a phone line: nothing certain to act on
    at: dict[str, str]  # moment -> "ouvert" | "ligne" | "ligne (heures à confirmer)" | "fermé"
    # Numbers given, at the moments nothing else was sure, whose hours are not checked (one per moment).
    lines_without_hours: list[str]
    # moment -> the place that made it « ouvert » on hours checked over a year ago (nothing fresher open then).
    open_by_old_hours: dict[str, str]
    # moment -> the number that « answers now » on hours checked over a year ago.
    line_by_old_hours: dict[str, str]


OPEN_TO_CONFIRM = "ouvert (horaires à confirmer)"


def _checked_hours(place: Place) -> bool:
    return bool(place.hours) and "horaires" not in place.to_verify


def _hours_checked_long_ago(contact: Place | Line, moment: dt.datetime) -> bool:
    """Checked hours, but over the freshness limit (`validate` asks to check the source again)."""
    return contact.checked is not None and checked_long_ago(contact.checked, moment.date(), FACT_MAX_AGE_DAYS)


def measure(engine: Engine, quartier: str, right: str) -> Outcome:
    kb = engine.current.kb
    at: dict[str, str] = {}
    reachable = False
    line_given = False
    lines_without_hours: list[str] = []
    open_by_old_hours: dict[str, str] = {}
    line_by_old_hours: dict[str, str] = {}
    for label, moment in MOMENTS.items():
        conversation = Conversation(engine, MemoryRecorder(), channel="bench", clock=lambda m=moment: m)
        conversation.press(KEY, f"q:{quartier}")
        reply = conversation.press(KEY, f"e:{right}")
        places = [kb.places[p] for p in reply.places if p in kb.places]
        reachable = reachable or any(is_reachable(p) for p in places)
        line = kb.lines.get(reply.phone_line) if reply.phone_line else None
        line_given = line_given or line is not None
        open_now = [p for p in places if is_open_at(p.hours, moment) is True]
        if any(_checked_hours(p) for p in open_now):
            at[label] = "ouvert"
            sure = [p for p in open_now if _checked_hours(p)]
            if all(_hours_checked_long_ago(p, moment) for p in sure):
                open_by_old_hours[label] = sure[0].id
        elif line is not None and line_answers_at(line, moment):
            at[label] = f"ligne {line.phone}"
            if _hours_checked_long_ago(line, moment):
                line_by_old_hours[label] = line.phone
        elif open_now:  # open by hours still to verify: the bot says « à confirmer », nobody is sure
            at[label] = OPEN_TO_CONFIRM
        elif line is not None and line.hours and not line.unsure("horaires"):
            at[label] = f"fermé, ligne {line.phone} plus tard"
        elif line is not None:
            at[label] = f"fermé, ligne {line.phone} (h. ?)"
            lines_without_hours.append(line.phone)
        else:
            at[label] = "fermé"
    return Outcome(
        quartier,
        right,
        reachable,
        not reachable and not line_given,
        at,
        lines_without_hours,
        open_by_old_hours,
        line_by_old_hours,
    )


def lines_to_source_first(outcomes: list[Outcome]) -> str:
    """The numbers whose hours, once sourced, would tell the most residents when to call."""
    counts = Counter(phone for o in outcomes for phone in o.lines_without_hours)
    if not counts:
        return "aucun"
    return ", ".join(f"{phone} ({n})" for phone, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def places_to_check_again_first(outcomes: list[Outcome]) -> str:
    """The places whose old hours alone make residents think someone is open: check these again first."""
    return _most_frequent_first(Counter(place for o in outcomes for place in o.open_by_old_hours.values()))


def lines_to_check_again_first(outcomes: list[Outcome]) -> str:
    """The numbers said to answer « maintenant » on hours checked over a year ago."""
    return _most_frequent_first(Counter(phone for o in outcomes for phone in o.line_by_old_hours.values()))


def _most_frequent_first(counts: Counter[str]) -> str:
    if not counts:
        return "aucun"
    return ", ".join(f"{name} ({n})" for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _surely_local_and_reachable(place: Place) -> bool:
    """Checked phone and address, in a quartier that is itself sourced (« à confirmer » may be across town)."""
    return is_reachable(place) and not place.unsure("quartier")


def quartier_figures(kb: KnowledgeBase) -> tuple[int, int]:
    """Quartiers with ≥ 2 places with checked phone and address; with ≥ 1 place with checked hours.

    As in `validate`, a place whose quartier is « à confirmer » does not count for that quartier.
    """
    enough_contact = sum(sum(_surely_local_and_reachable(p) for p in kb.places_in(q)) >= 2 for q in kb.quartiers)
    with_hours = sum(any(_checked_hours(p) for p in kb.places_in(q)) for q in kb.quartiers)
    return enough_contact, with_hours


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--summary", action="store_true", help="only the totals")
    args = parser.parse_args(argv)
    engine = Engine.load(args.knowledge)
    kb = engine.current.kb
    rights = sorted(e.id for e in kb.entries.values() if e.kind == "right")
    outcomes = [measure(engine, q, r) for q in kb.quartiers for r in rights]

    if not args.summary:
        header = f"{'quartier':<15} {'droit':<26} {'joignable':<10} " + " ".join(f"{m:<24}" for m in MOMENTS)
        print(header)
        for o in outcomes:
            print(
                f"{o.quartier:<15} {o.right:<26} {'oui' if o.reachable else 'NON':<10} "
                + " ".join(f"{o.at[m]:<24}" for m in MOMENTS)
            )
        print()

    total = len(outcomes)
    enough_contact, with_hours = quartier_figures(kb)
    print(f"Quartiers avec ≥ 2 lieux à téléphone ET adresse vérifiés : {enough_contact}/{len(kb.quartiers)}")
    print(f"Quartiers avec ≥ 1 lieu à horaires OpenStreetMap vérifiés : {with_hours}/{len(kb.quartiers)}")
    print(f"Réponses quartier × droit montrant un lieu joignable : {sum(o.reachable for o in outcomes)}/{total}")
    print(
        "Réponses avec un lieu joignable ou un numéro : "
        f"{sum(not o.only_to_confirm for o in outcomes)}/{total}"
        f" ; avec seulement des coordonnées « à confirmer » : {sum(o.only_to_confirm for o in outcomes)}"
    )
    for moment in MOMENTS:
        open_now = sum(o.at[moment] == "ouvert" for o in outcomes)
        old_hours = sum(moment in o.open_by_old_hours for o in outcomes)
        old_line_hours = sum(moment in o.line_by_old_hours for o in outcomes)
        line_now = sum(o.at[moment].startswith("ligne") for o in outcomes)
        unknown = sum(o.at[moment].endswith("(h. ?)") for o in outcomes)
        to_confirm = sum(o.at[moment] == OPEN_TO_CONFIRM for o in outcomes)
        print(
            f"{moment} : un lieu montré est ouvert {open_now}/{total} "
            f"(dont {old_hours} seulement d'après des horaires relevés il y a plus d'un an) ; "
            f"sinon un numéro répond {line_now}/{total} (dont {old_line_hours} d'après des horaires de plus d'un an) ; "
            f"personne de sûr maintenant {total - open_now - line_now}/{total} "
            f"(dont {unknown} avec un numéro aux heures inconnues, "
            f"{to_confirm} avec un lieu ouvert selon des horaires à confirmer)"
        )
    print(
        "Numéros donnés sans horaires vérifiés, à sourcer en premier (réponses × moments) : "
        + lines_to_source_first(outcomes)
    )
    print(
        "Lieux dits ouverts d'après des horaires de plus d'un an, à revérifier en premier (réponses × moments) : "
        + places_to_check_again_first(outcomes)
    )
    print(
        "Numéros dits « maintenant » d'après des horaires de plus d'un an, à revérifier (réponses × moments) : "
        + lines_to_check_again_first(outcomes)
    )
    print("Par quartier, réponses où quelqu'un est sûr de répondre (" + " / ".join(MOMENTS) + ") :")
    for quartier in kb.quartiers:
        mine = [o for o in outcomes if o.quartier == quartier]
        sure = [sum(o.at[m] == "ouvert" or o.at[m].startswith("ligne") for o in mine) for m in MOMENTS]
        reachable = sum(_surely_local_and_reachable(p) for p in kb.places_in(quartier))
        figures = " / ".join(f"{n}/{len(mine)}" for n in sure)
        print(f"  quartier {quartier:<15} {figures} ; lieux joignables : {reachable}")


if __name__ == "__main__":
    main()
