"""Settings from the environment, read once, in one place.

Every variable has a safe default except TELEGRAM_TOKEN, which only `run` needs.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

REPO_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
# Domain settings, one place each; passed to what needs them (Settings carries them).
TIMEZONE = "Europe/Paris"  # Brest: opening hours, days of the laboratoire's tables, reminders
HOLIDAYS_COUNTRY = "FR"  # whose public holidays « PH » means in opening hours (« Mo-Fr 09:00-17:00; PH off »)
RETENTION_DAYS = 365  # what the laboratoire keeps is purged after this (daily job, `purge`)
K_ANONYMITY = 3  # a quartier is shown for a need only when seen this often (datasette/metadata.yml too)
DATA_DIR = Path("data")
DB_FILE = "relais.db"
_QUARTIER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
# `validate` warns about a fact checked longer ago than this (amounts change every year).
FACT_MAX_AGE_DAYS = 365
# The longest --since of `review` and `stats` (ten years): longer has no meaning, and a huge one overflowed dates.
PERIOD_MAX_DAYS = 3650


@functools.cache
def zone(name: str = TIMEZONE) -> ZoneInfo:
    """The timezone object of `name` (the bot's TIMEZONE by default), built once and shared by every module."""
    return ZoneInfo(name)


PARIS = zone()  # Brest's local time: the one tzinfo the code uses


def _admin_ids(raw: str) -> frozenset[int]:
    """Parse RELAIS_ADMINS ("123, 456"); ignore blanks and anything that is not a number."""
    ids = set()
    for part in raw.split(","):
        part = part.strip()
        if part.lstrip("-").isdigit():
            ids.add(int(part))
    return frozenset(ids)


def _quartier_id(text: str) -> str:
    """ "Quatre Moulins", "quatre-moulins", "QUATRE_MOULINS" -> "quatre-moulins"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "-".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def parse_mediators(raw: str) -> dict[int, str]:
    """Parse RELAIS_MEDIATEURS ("111:bellevue, 222:europe") into {user id: quartier id}.

    A mediator records needs for one quartier, so each id has one quartier.
    Bad parts are ignored with a warning that gives their position, never
    their content: a log line must not carry a Telegram user id.
    """
    mediators: dict[int, str] = {}
    for position, part in enumerate(raw.split(","), 1):
        if not part.strip():
            continue
        ident, colon, quartier = part.partition(":")
        if ":" in quartier:
            quartier = ""  # "111:bellevue:europe": which one? neither
        ident, quartier = ident.strip(), _quartier_id(quartier)
        if not colon or not ident.lstrip("-").isdigit() or not _QUARTIER_ID.match(quartier):
            log.warning(
                "RELAIS_MEDIATEURS : partie %d ignorée (attendu identifiant:quartier, par exemple 123456789:bellevue)",
                position,
            )
            continue
        user = int(ident)
        if user in mediators and mediators[user] != quartier:
            log.warning("RELAIS_MEDIATEURS : partie %d ignorée (ce médiateur a déjà un quartier)", position)
            continue
        mediators[user] = quartier
    return mediators


def check_mediators(mediators: Mapping[int, str], quartiers: Collection[str]) -> dict[int, str]:
    """Keep the mediators whose quartier exists in the knowledge base; warn about the others.

    Called once the knowledge base is loaded (quartiers come from
    `knowledge/quartiers/`, the one source of truth): a typo such as
    "belevue" must not silently give a mediator no quartier at all.
    """
    known = set(quartiers)
    kept: dict[int, str] = {}
    unknown: set[str] = set()
    for user, quartier in mediators.items():
        if quartier in known:
            kept[user] = quartier
        else:
            unknown.add(quartier)
    for quartier in sorted(unknown):
        log.warning(
            "RELAIS_MEDIATEURS : quartier « %s » inconnu (choix : %s) ; médiateur(s) ignoré(s)",
            quartier,
            ", ".join(sorted(known)),
        )
    return kept


def mediators_of(mediators: Mapping[int, str], quartier: str) -> list[int]:
    """The user ids of a quartier's mediators (e.g. to route a call-back request), in a stable order."""
    return sorted(user for user, q in mediators.items() if q == quartier)


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = REPO_KNOWLEDGE
    db_path: Path = DATA_DIR / DB_FILE
    secret: str | None = None
    telegram_token: str | None = field(default=None, repr=False)
    telegram_base_url: str | None = None
    admins: frozenset[int] = frozenset()
    # Telegram user id -> quartier id, syntax-checked only: `check_mediators` against the knowledge base.
    mediators: Mapping[int, str] = field(default_factory=dict, repr=False)
    log_level: str = "INFO"
    timezone: str = TIMEZONE
    retention_days: int = RETENTION_DAYS
    k_anonymity: int = K_ANONYMITY
    # Read messages by their meaning too (sentence encoder), switched on in the background once loaded.
    sentences: bool = True

    @property
    def data_dir(self) -> Path:
        return self.db_path.parent

    @property
    def model_cache_dir(self) -> Path:
        """Learned models (danger detector, matcher), keyed by content: rebuilt if deleted, never in knowledge/."""
        return self.data_dir / "cache"


_OFF = frozenset({"0", "non", "no", "off", "false", "faux"})


def _switch(raw: str | None, default: bool) -> bool:
    """An on/off variable: "0", "non", "off", "false" turn it off, anything else written turns it on."""
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() not in _OFF


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build Settings from environment variables (RELAIS_*, TELEGRAM_*)."""
    env = os.environ if environ is None else environ
    knowledge = env.get("RELAIS_KNOWLEDGE")
    return Settings(
        knowledge_dir=Path(knowledge) if knowledge else REPO_KNOWLEDGE,
        db_path=Path(env.get("RELAIS_DB") or DATA_DIR / DB_FILE),
        secret=env.get("RELAIS_SECRET") or None,
        telegram_token=env.get("TELEGRAM_TOKEN") or None,
        telegram_base_url=env.get("TELEGRAM_BASE_URL") or None,
        admins=_admin_ids(env.get("RELAIS_ADMINS", "")),
        mediators=parse_mediators(env.get("RELAIS_MEDIATEURS", "")),
        log_level=(env.get("RELAIS_LOG_LEVEL") or "INFO").upper(),
        sentences=_switch(env.get("RELAIS_SENTENCES"), default=True),
    )
