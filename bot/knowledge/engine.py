"""The knowledge base and its matcher, swapped as one, kept when a new version is broken.

A mediator saving a half-written file must never take the bot down: `reload`
builds the new base and index aside and only swaps them in when the files have
no error. Readers take `engine.current` once per question, so a reload in the
middle of a conversation never mixes two versions.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase, KnowledgeError, LoadResult, Problem
from bot.understanding.matcher import Matcher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    kb: KnowledgeBase
    matcher: Matcher


@dataclass
class ReloadResult:
    ok: bool
    summary: str
    problems: list[Problem] = field(default_factory=list)


def _fingerprint(directory: Path) -> tuple:
    """Names, sizes and modification times of every YAML file: cheap change detection."""
    items = []
    for path in sorted(directory.rglob("*.y*ml")):
        try:
            stat = path.stat()
        except OSError:
            continue
        items.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(items)


class Engine:
    def __init__(self, directory: Path, snapshot: Snapshot, problems: list[Problem]) -> None:
        self.directory = Path(directory)
        self.current = snapshot
        self.problems = problems
        self._fingerprint = _fingerprint(self.directory)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: Path, strict: bool = False) -> Engine:
        """First load. Files with errors are skipped (and reported) unless `strict`.

        Raises KnowledgeError when nothing usable is left: a bot without any
        entry cannot help anyone and must say so at start-up.
        """
        directory = Path(directory)
        result = load_knowledge(directory)
        if not result.kb.entries or (strict and result.errors):
            raise KnowledgeError(result.problems)
        if result.errors:
            log.warning(
                "base de connaissances : %d fichier(s) ignoré(s) ou incomplet(s) — "
                "lancez « python -m bot validate » pour le détail",
                len({p.path for p in result.errors}),
            )
        return cls(directory, Snapshot(result.kb, Matcher(result.kb)), result.problems)

    def reload(self) -> ReloadResult:
        """Load the files again; swap only if they are free of errors."""
        with self._lock:
            fingerprint = _fingerprint(self.directory)
            result: LoadResult = load_knowledge(self.directory)
            self._fingerprint = fingerprint
            if result.errors or not result.kb.entries:
                log.warning("rechargement refusé, l'ancienne base reste en service")
                return ReloadResult(False, "rechargement refusé : " + result.summary(), result.errors)
            self.current = Snapshot(result.kb, Matcher(result.kb))
            self.problems = result.problems
            log.info("base rechargée : %s", result.summary())
            return ReloadResult(True, result.summary(), result.problems)

    def changed_on_disk(self) -> bool:
        return _fingerprint(self.directory) != self._fingerprint
