"""Settings from the environment, read once, in one place.

Every variable has a safe default except TELEGRAM_TOKEN, which only `run` needs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def _admin_ids(raw: str) -> frozenset[int]:
    """Parse RELAIS_ADMINS ("123, 456"); ignore blanks and anything that is not a number."""
    ids = set()
    for part in raw.split(","):
        part = part.strip()
        if part.lstrip("-").isdigit():
            ids.add(int(part))
    return frozenset(ids)


@dataclass(frozen=True)
class Settings:
    knowledge_dir: Path = REPO_KNOWLEDGE
    db_path: Path = Path("data/relais.db")
    secret: str | None = None
    telegram_token: str | None = field(default=None, repr=False)
    telegram_base_url: str | None = None
    admins: frozenset[int] = frozenset()
    log_level: str = "INFO"
    timezone: str = "Europe/Paris"

    @property
    def data_dir(self) -> Path:
        return self.db_path.parent


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build Settings from environment variables (RELAIS_*, TELEGRAM_*)."""
    env = os.environ if environ is None else environ
    knowledge = env.get("RELAIS_KNOWLEDGE")
    return Settings(
        knowledge_dir=Path(knowledge) if knowledge else REPO_KNOWLEDGE,
        db_path=Path(env.get("RELAIS_DB") or "data/relais.db"),
        secret=env.get("RELAIS_SECRET") or None,
        telegram_token=env.get("TELEGRAM_TOKEN") or None,
        telegram_base_url=env.get("TELEGRAM_BASE_URL") or None,
        admins=_admin_ids(env.get("RELAIS_ADMINS", "")),
        log_level=(env.get("RELAIS_LOG_LEVEL") or "INFO").upper(),
    )
