"""The knowledge base and its matcher, swapped as one, kept when a new version is broken.

A mediator saving a half-written file must never take the bot down: `reload`
builds the new base and index aside and only swaps them in when the files have
no error. Readers take `engine.current` once per question, so a reload in the
middle of a conversation never mixes two versions.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import (
    DANGERS_FOLDER,
    KIND_FOLDERS,
    DangerDataError,
    KnowledgeBase,
    KnowledgeError,
    LoadResult,
    Problem,
)
from bot.understanding.danger import DangerDetector, detector_for
from bot.understanding.derived import one_digest_per_build
from bot.understanding.learned import may_learn, model_for
from bot.understanding.matcher import Matcher
from bot.understanding.model_cache import DEFAULT_CACHE, ModelCache
from bot.understanding.sentence_evidence import sentence_evidence_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    kb: KnowledgeBase
    matcher: Matcher
    danger: DangerDetector


def model_cache_in(directory: Path, create: bool = False) -> ModelCache:
    """Learned models kept in `directory` (settings.model_cache_dir: in the data directory, never in knowledge/).

    `create=False` (the `ask` command) reads and writes the folder only if the
    data directory above it already exists: asking a question must not create
    anything on disk. A read-only or missing folder only means the models stay
    in memory.
    """
    directory = Path(directory)
    if create:
        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            pass
    return ModelCache(directory if directory.parent.is_dir() else None)


def build_matcher(
    kb: KnowledgeBase, cache: ModelCache | None = None, learn: bool = True, sentences: bool = False
) -> Matcher:
    """The lexical index, fused with the learned model of this content (cached) when the base allows one.

    `sentences`: also read whole messages by their meaning (`sentence_evidence.py`); opt-in, since
    it costs about 12 s of CPU on a cold start, 1.4 s at the first message and 3 ms per message.
    """
    learn = learn and may_learn(kb)
    matcher = Matcher(kb, keep_read_texts=learn, cache=cache if cache is not None else DEFAULT_CACHE)
    if not learn:
        return matcher
    model = model_for(kb, matcher.normalizer, cache, pairs=matcher.take_read_texts())
    if model is not None:  # None: too many entries for any learned model, the lexical matcher alone
        matcher.attach_learned(model)
        reading = sentence_evidence_for(kb, cache=cache) if sentences else None
        if reading is not None:
            matcher.attach_sentences(reading)
    return matcher


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a base is read and its models trained.

    Reading and training create millions of small lists and tuples that live
    until the models are built, and none of them is cyclic garbage; yet each
    collection walks every one of them again (about 0.25 s of a cold start on
    the shipped base). Collections resume afterwards. When the collector was
    already off (a nested or concurrent build), it is left as it was found.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_snapshot(kb: KnowledgeBase, cache: ModelCache = DEFAULT_CACHE, learn: bool = True) -> Snapshot:
    """Index and train everything a question needs, once, before the snapshot is served."""
    with collector_paused(), one_digest_per_build():
        matcher = build_matcher(kb, cache, learn)
        return Snapshot(kb, matcher, detector_for(kb, matcher.normalizer, cache))


def danger_problems(result: LoadResult) -> list[Problem]:
    """Why the danger data cannot be used: without it the bot must not run at all."""
    if result.kb.dangers is not None:
        return []
    folder = result.kb.directory / DANGERS_FOLDER
    errors = [p for p in result.errors if folder in p.path.parents or p.path == folder]
    return errors or [Problem(folder, 1, "données d'urgence inutilisables")]


@dataclass
class ReloadResult:
    ok: bool
    summary: str
    problems: list[Problem] = field(default_factory=list)


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every YAML file: cheap change detection."""
    items = []
    for path in sorted(directory.rglob("*.y*ml")):
        try:
            stat = path.stat()
        except OSError:
            continue
        items.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(items)


def missing_entries(directory: Path, problems: list[Problem], kb: KnowledgeBase) -> list[str]:
    """Entries whose file has an error and which the bot therefore runs without.

    A broken `droits/rsa.yaml` cannot tell its id, so the file's name stands for it.
    """
    missing = set()
    for problem in problems:
        if not problem.error or problem.path.suffix not in (".yaml", ".yml"):
            continue
        try:
            folder = problem.path.relative_to(directory).parts[0]
        except (ValueError, IndexError):
            continue
        if folder in KIND_FOLDERS and problem.path.stem not in kb.entries:
            missing.add(problem.path.stem)
    return sorted(missing)


def missing_entries_warning(missing: list[str]) -> str | None:
    """The start-up warning (and /stats line) naming the entries left out, or None."""
    if not missing:
        return None
    names = ", ".join(f"« {name} »" for name in missing)
    return (
        f"Attention : le bot répond sans ces entrées, leur fichier a une erreur : {names}. "
        "Lancez « python -m bot validate » pour le détail."
    )


class Engine:
    def __init__(
        self,
        directory: Path,
        snapshot: Snapshot,
        problems: list[Problem],
        cache: ModelCache = DEFAULT_CACHE,
        learn: bool = True,
    ) -> None:
        self.directory = Path(directory)
        self.cache = cache
        self.learn = learn
        self.current = snapshot
        self.problems = problems
        self.missing = missing_entries(self.directory, problems, snapshot.kb)
        self._fingerprint = _fingerprint(self.directory)
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: Path, strict: bool = False, cache: ModelCache | None = None, learn: bool = True) -> Engine:
        """First load. Files with errors are skipped (and reported) unless `strict`.

        Raises KnowledgeError when nothing usable is left: a bot without any
        entry cannot help anyone, and a bot whose danger data is missing or
        broken could fail a person in danger: both must stop at start-up.
        `cache` keeps learned models (on disk in the data directory, if given);
        `learn=False` gives the lexical matcher alone (benchmarks compare both).
        """
        directory = Path(directory)
        with collector_paused():
            return cls.from_result(directory, load_knowledge(directory), strict, cache, learn)

    @classmethod
    def from_result(
        cls,
        directory: Path,
        result: LoadResult,
        strict: bool = False,
        cache: ModelCache | None = None,
        learn: bool = True,
    ) -> Engine:
        """An engine on files already read (tests read the shipped base once for many engines)."""
        cache = cache if cache is not None else DEFAULT_CACHE
        if not result.kb.entries or (strict and result.errors):
            raise KnowledgeError(result.problems)
        if result.kb.dangers is None:
            raise DangerDataError(danger_problems(result))
        if result.errors:
            log.warning(
                "base de connaissances : %d fichier(s) ignoré(s) ou incomplet(s) — "
                "lancez « python -m bot validate » pour le détail",
                len({p.path for p in result.errors}),
            )
        return cls(directory, build_snapshot(result.kb, cache, learn), result.problems, cache, learn)

    def reload(self) -> ReloadResult:
        """Load the files again; swap only if they are free of errors."""
        with self._lock:
            fingerprint = _fingerprint(self.directory)
            with collector_paused():
                result: LoadResult = load_knowledge(self.directory)
            self._fingerprint = fingerprint
            if result.errors or not result.kb.entries or result.kb.dangers is None:
                log.warning("rechargement refusé, l'ancienne base reste en service")
                return ReloadResult(False, "rechargement refusé : " + result.summary(), result.errors)
            # Built aside: answers keep reading the old snapshot until this one is complete.
            self.current = build_snapshot(result.kb, self.cache, self.learn)
            self.problems = result.problems
            self.missing = missing_entries(self.directory, result.problems, result.kb)
            log.info("base rechargée : %s", result.summary())
            return ReloadResult(True, result.summary(), result.problems)

    def changed_on_disk(self) -> bool:
        return _fingerprint(self.directory) != self._fingerprint
