"""Whole-base checks: what no single file can see (links between files, duplicates, places)."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.model import CITY_WIDE, KnowledgeBase, Problem
from bot.understanding.normalize import fold

# --------------------------------------------------------------------------- whole-base checks


def check_references(
    kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]
) -> None:
    """Links between files: every id one file names must exist, with the right kind."""

    def report(owner: str, key: str, message: str) -> None:
        # A missing key ("ou_aller" forgotten) has no line: point at the file's id.
        path, line = lines.get((owner, key)) or lines.get((owner, "id")) or (kb.directory, 1)
        problems.append(Problem(path, line, message))

    for entry in kb.entries.values():
        for service in entry.services:
            target = kb.entries.get(service)
            if target is None:
                report(entry.id, "ou_aller", f"« ou_aller » cite « {service} », qui n'existe pas")
            elif target.kind != "service":
                report(entry.id, "ou_aller", f"« ou_aller » cite « {service} », qui n'est pas un service")
        if entry.kind == "right" and not entry.services:
            report(entry.id, "ou_aller", "un droit doit indiquer au moins un service dans « ou_aller »")
    for place in kb.places.values():
        if place.quartier != CITY_WIDE and place.quartier not in kb.quartiers:
            report(
                "lieu:" + place.id,
                "quartier",
                f"quartier « {place.quartier} » inconnu (choix : {', '.join(sorted(kb.quartiers))} ou {CITY_WIDE})",
            )
        for topic in place.topics:
            if topic not in kb.entries:
                report("lieu:" + place.id, "sujets", f"« sujets » cite « {topic} », qui n'existe pas")
    for quartier in kb.quartiers.values():
        for priority in quartier.priorities:
            if priority not in kb.entries:
                report("quartier:" + quartier.id, "priorites", f"« priorites » cite « {priority} », qui n'existe pas")
    for entry_id in kb.learned:
        if entry_id not in kb.entries:
            report("appris", entry_id, f"phrases apprises pour « {entry_id} », qui n'existe pas")


def check_duplicate_phrasings(
    kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]
) -> None:
    """The same words under two entries would make the matcher toss a coin."""
    owner: dict[str, str] = {}
    for entry in kb.entries.values():
        for phrasing in entry.phrasings:
            key = fold(phrasing)
            first = owner.setdefault(key, entry.id)
            if first != entry.id:
                path, line = lines.get((entry.id, "formulations"), (kb.directory, 1))
                problems.append(Problem(path, line, f"la formulation « {phrasing} » est aussi dans « {first} »"))


def check_gazetteer(kb: KnowledgeBase, problems: list[Problem], lines: dict[tuple[str, str], tuple[Path, int]]) -> None:
    """A name claimed by two quartiers must be marked uncertain in both, or the bot would guess."""
    claims: dict[str, list[tuple[str, bool]]] = {}
    for quartier in kb.quartiers.values():
        for name in quartier.names + quartier.streets + quartier.landmarks:
            claims.setdefault(fold(name), []).append((quartier.id, False))
        for area in quartier.sub_areas:
            for name in (area.name, *area.variants):
                claims.setdefault(fold(name), []).append((quartier.id, area.uncertain))
    for name, owners in claims.items():
        ids = {q for q, _ in owners}
        if len(ids) > 1 and not all(uncertain for _, uncertain in owners):
            for quartier_id in sorted(ids):
                path, line = lines.get(("quartier:" + quartier_id, "id"), (kb.directory, 1))
                problems.append(
                    Problem(
                        path,
                        line,
                        f"« {name} » est dans plusieurs quartiers "
                        f"({', '.join(sorted(ids))}) : marquez-le « incertain: true » partout",
                    )
                )
                break
