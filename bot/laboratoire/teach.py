"""The learning loop: a need's phrasings taught to an entry, dismissed, or added by hand.

Taught phrasings go to `knowledge/appris/phrases-apprises.yaml` (redacted,
written atomically), and the need's questions are marked reviewed so that
they leave the report.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process

from bot.knowledge.model import LEARNED_FILE
from bot.laboratoire.clustering import OFFTOPIC, Need, cluster
from bot.laboratoire.meaning import ConceptIndex, concept_index
from bot.laboratoire.report import ReviewError, backlog_sections, check_quartier
from bot.storage.redact import contains_tag, redact, strip_tags
from bot.storage.store import QUESTION_MAX_CHARS, Store
from bot.storage.writer import StoreUnavailable
from bot.understanding.normalize import fold

DISMISSED = "ecarte"
TAUGHT_PREFIX = "appris:"
MEDIATION_CHANNEL = "mediation"


def find_need(
    store: Store,
    ident: str,
    since: str | None = None,
    quartier: str | None = None,
    concepts: ConceptIndex | None = None,
) -> Need:
    """The unreviewed need (or "hors sujet" group) with this id or unique prefix; ReviewError if none.

    Needs are formed on the whole backlog, whatever the report's filter was, so
    any id a report has shown — under any period or quartier — is found here,
    and the need found is the whole need (every quartier, every day).
    `since` and `quartier` are accepted for the command line's sake only;
    `concepts` must be those the report was grouped with (the configured
    knowledge base's by default).
    """
    wanted = ident.strip().lower()
    if len(wanted) < 4:
        raise ReviewError("identifiant de besoin trop court : recopiez-le depuis le rapport (7 caractères)")
    try:
        backlog = store.unmet(None)
    except StoreUnavailable as exc:
        raise ReviewError(f"base de données inaccessible ({exc})") from None
    in_scope, declined = backlog_sections(backlog)
    names = store.quartiers
    needs = [
        *cluster(in_scope, quartiers=names, concepts=concepts),
        *cluster(declined, section=OFFTOPIC, quartiers=names, concepts=concepts),
    ]
    matches = [n for n in needs if n.id.startswith(wanted)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ReviewError(f"« {ident} » désigne plusieurs besoins : donnez l'identifiant complet")
    raise ReviewError(
        f"besoin « {ident} » introuvable parmi les besoins non revus "
        "(déjà appris ou écarté ? relancez « python -m bot review »)"
    )


def known_entry_ids(knowledge_dir: Path) -> set[str]:
    """Ids of the knowledge base's entries (rights, services, intents)."""
    try:
        from bot.knowledge.loader import load_knowledge
    except ImportError:  # the loader is optional for this module: read ids directly
        return _scan_entry_ids(knowledge_dir)
    return set(load_knowledge(Path(knowledge_dir)).kb.entries)


def _scan_entry_ids(knowledge_dir: Path) -> set[str]:
    ids: set[str] = set()
    for folder in ("droits", "services", "intentions"):
        for path in sorted((Path(knowledge_dir) / folder).glob("*.yaml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError):
                continue
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                ids.add(data["id"])
    return ids


@dataclass(frozen=True)
class TeachResult:
    need: Need
    entry_id: str
    added: list[str]
    path: Path


def teach(
    store: Store,
    ident: str,
    entry_id: str,
    knowledge_dir: Path,
    since: str | None = None,
    quartier: str | None = None,
    today: dt.date | None = None,
) -> TeachResult:
    """Add a need's phrasings to the learned file for `entry_id`, and mark it reviewed."""
    known = known_entry_ids(knowledge_dir)
    if entry_id not in known:
        hint = process.extractOne(entry_id, sorted(known), score_cutoff=60) if known else None
        suggestion = f" Vouliez-vous dire « {hint[0]} » ?" if hint else ""
        raise ReviewError(f"fiche « {entry_id} » inconnue dans {knowledge_dir} : rien n'a été appris.{suggestion}")
    need = find_need(store, ident, since, quartier, concept_index(knowledge_dir))
    phrasings = learnable_phrasings(need)
    if not phrasings:
        raise ReviewError(
            "ce besoin n'a aucune formulation utilisable (tout a été anonymisé) : "
            "ajoutez une formulation à la main dans la fiche"
        )
    path = Path(knowledge_dir) / LEARNED_FILE
    added = append_learned(path, entry_id, phrasings, today or dt.date.today())
    store.mark_reviewed(need.question_ids, TAUGHT_PREFIX + entry_id)
    return TeachResult(need, entry_id, added, path)


def learnable_phrasings(need: Need) -> list[str]:
    """The need's examples without redaction tags (a tag is not something people type)."""
    result: list[str] = []
    for example in need.examples:
        text = strip_tags(example) if contains_tag(example) else example.strip()
        if len(fold(text)) >= 3 and text not in result:
            result.append(text)
    return result


_LEARNED_HEADER = """\
# Formulations apprises des vraies questions des habitants.
# Écrit par « python -m bot review --teach BESOIN --to FICHE » : chaque clé est
# l'identifiant d'une fiche, suivie des phrases qui doivent y mener.
# Les phrases sont anonymisées. Vous pouvez en retirer une à la main.
"""


def append_learned(path: Path, entry_id: str, phrasings: Iterable[str], today: dt.date) -> list[str]:
    """Merge phrasings into the learned file (atomically); returns those actually added."""
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:  # edited by hand and broken: say so, don't overwrite
            raise ReviewError(
                f"{path} est illisible ({type(exc).__name__}) : corrigez-le d'abord (python -m bot validate)"
            ) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ReviewError(f"{path} n'a pas la forme attendue (fiche: [phrases…]) : corrigez-le d'abord")
        data = dict(loaded or {})
    header = {"source": "questions des habitants revues par le laboratoire", "verifie_le": today}
    entries = {k: v for k, v in data.items() if k not in ("source", "verifie_le", "note")}
    existing = entries.get(entry_id) or []
    if not isinstance(existing, list):  # a text here would be split into one "phrase" per letter
        raise ReviewError(f"{path} : « {entry_id} » doit être une liste de phrases : corrigez-le d'abord")
    current = [str(p) for p in existing]
    folded = {fold(p) for p in current}
    added = []
    for phrasing in phrasings:
        phrasing = redact(phrasing)  # the file is shared: never let personal data in
        if fold(phrasing) not in folded:
            current.append(phrasing)
            folded.add(fold(phrasing))
            added.append(phrasing)
    entries[entry_id] = current
    out = {**header, **({"note": data["note"]} if "note" in data else {}), **entries}
    text = _LEARNED_HEADER + yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".phrases-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return added


def dismiss(
    store: Store,
    ident: str,
    since: str | None = None,
    quartier: str | None = None,
    concepts: ConceptIndex | None = None,
) -> Need:
    """Mark a need reviewed without teaching (spam, out of scope): it leaves the report."""
    need = find_need(store, ident, since, quartier, concepts)
    store.mark_reviewed(need.question_ids, DISMISSED)
    return need


def _refuse_too_long(text: str, limit: int = QUESTION_MAX_CHARS) -> None:
    """A question longer than the store keeps is refused whole, never cut without a word.

    The store keeps the first `limit` characters of a question; a pasted
    page (20,000 characters) would lose its end silently, and the mediator
    would be told « notée » for a need the laboratoire may never see. So it
    is refused in French, before anything is written: nothing stored moves.
    """
    if len(text) > limit:
        raise ReviewError(
            f"question trop longue ({_thousands(len(text))} caractères, {_thousands(limit)} au plus) : "
            "notez en quelques phrases ce que la personne a demandé"
        )


def _thousands(number: int) -> str:
    """ "20 000", as French writes numbers."""
    return f"{number:,}".replace(",", " ")


def add_question(store: Store, text: str, quartier: str | None, normalized: str | None = None) -> str:
    """Record a question heard face to face (channel "mediation"); returns the redacted text.

    `normalized` is the matcher's reading of it when a bot is at hand (folded text otherwise).
    """
    quartier = check_quartier(quartier, store.quartiers) if quartier else None
    if not text or not text.strip():
        raise ReviewError("la question est vide")
    _refuse_too_long(text.strip())
    try:
        store.record_unanswered(text, normalized or fold(text), quartier, MEDIATION_CHANNEL, None, 0, wait=True)
    except StoreUnavailable as exc:  # never say "notée" for a question the database refused
        raise ReviewError(f"question non enregistrée : base de données inaccessible ({exc})") from None
    return redact(text).strip()
