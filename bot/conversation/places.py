"""One help point described in a few lines, with its opening status now."""

from __future__ import annotations

import datetime as dt

from bot.conversation.hours import opening_status
from bot.knowledge.model import Place

TO_CONFIRM = " (à confirmer)"


def _with_doubt(value: str, place: Place, field_name: str) -> str:
    return value + TO_CONFIRM if place.unsure(field_name) else value


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
    status = opening_status(place.hours, now)
    if status:
        lines.append("  " + _with_doubt(status[0].upper() + status[1:], place, "horaires"))
    elif place.hours_text:
        lines.append("  Horaires : " + _with_doubt(place.hours_text, place, "horaires"))
    else:
        lines.append("  Horaires à confirmer")
    return "\n".join(lines)
