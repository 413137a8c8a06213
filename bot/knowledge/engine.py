"""The knowledge base and its matcher, swapped as one, kept when a new version is broken.

A mediator saving a half-written file must never take the bot down: `reload`
builds the new base and index aside and only swaps them in when the files have
no error. Readers take `engine.current` once per question, so a reload in the
middle of a conversation never mixes two versions.

The sentence reading (a third reading of messages, by their meaning) costs
1.4 s to load and 12 s to encode a base cold: the engine serves each new
snapshot at once without it, builds it in a background thread, and swaps in
a copy of the snapshot that reads by meaning when it is ready. A reload
serves the last good reading meanwhile when the entries are the same.
"""

from __future__ import annotations

import copy
import dataclasses
import gc
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.apart import send_cold_builds_apart
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
from bot.understanding.sentence_evidence import SentenceEvidence, sentence_evidence_for

log = logging.getLogger(__name__)

# Builds the sentence reading of a base, given the last one built (whose vectors it may reuse);
# None when there is none to have (encoder not installed, base too large). Injected by tests.
ReadMeaning = Callable[[KnowledgeBase, SentenceEvidence | None], SentenceEvidence | None]


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

    `sentences`: also read whole messages by their meaning (`sentence_evidence.py`), built here
    and now (about 12 s of CPU on a cold start, 1.4 s to load the encoder): for benchmarks. The
    bot builds it in the background instead (`Engine.load(..., sentences=True)`).
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


def shipped_reading(cache: ModelCache | None = None) -> ReadMeaning:
    """The sentence reading by the shipped encoder, vectors cached by content, the encoder loaded before use."""

    def read(kb: KnowledgeBase, previous: SentenceEvidence | None) -> SentenceEvidence | None:
        reading = sentence_evidence_for(kb, cache=cache, previous=previous)
        if reading is not None:
            reading.warm_up()  # else the first resident's message after the switch waits 1.4 s
        return reading

    return read


def with_sentences(snapshot: Snapshot, reading: SentenceEvidence) -> Snapshot | None:
    """A copy of `snapshot` whose matcher also reads by meaning; None if `reading` is of other entries.

    A copy, never the served matcher changed in place: a question being
    answered must not see the reading switched on halfway through.
    """
    matcher = copy.copy(snapshot.matcher)
    matcher.attach_sentences(reading)
    if matcher.sentences is not reading:
        return None
    return dataclasses.replace(snapshot, matcher=matcher)


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
        read_meaning: ReadMeaning | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.cache = cache
        self.learn = learn
        self.problems = problems
        self.missing = missing_entries(self.directory, problems, snapshot.kb)
        self._fingerprint = _fingerprint(self.directory)
        self._lock = threading.Lock()
        self._read_meaning = read_meaning
        self._swap = threading.Lock()  # `current` and what it was built from change together
        self._reading: SentenceEvidence | None = None  # the last good sentence reading
        self._worker: threading.Thread | None = None
        self.current = snapshot
        self._serve(snapshot)

    def _serve(self, snapshot: Snapshot) -> None:
        """Answer from `snapshot` now; read by meaning as soon as its sentence reading is ready.

        Until then the last good reading serves if it fits the new entries (a
        reload that changed phrasings only), else the two other readings do.
        """
        with self._swap:
            self._plain = snapshot
            interim = with_sentences(snapshot, self._reading) if self._reading is not None else None
            self.current = interim or snapshot
        if self._read_meaning is None or snapshot.matcher.learned is None:
            return
        worker = threading.Thread(
            target=self._switch_on_meaning, args=(snapshot, self._worker), name="relais-sentences", daemon=True
        )
        self._worker = worker
        worker.start()

    def _switch_on_meaning(self, snapshot: Snapshot, before: threading.Thread | None) -> None:
        """Build `snapshot`'s sentence reading (after the one started before), swap it in if still served."""
        if before is not None:
            before.join()  # one encoding at a time on a shared machine; the next reuses its vectors
        if self._plain is not snapshot or self._read_meaning is None:
            return  # a newer reload came meanwhile: its own worker does it
        try:
            reading = self._read_meaning(snapshot.kb, self._reading)
        except Exception:  # never let the encoder take the bot down: it answers without
            log.exception("lecture par le sens indisponible : le bot répond sans")
            return
        if reading is None:
            return
        with self._swap:
            if self._plain is not snapshot:
                return
            served = with_sentences(snapshot, reading)
            if served is not None:
                self.current = served
                self._reading = reading
                log.info("lecture par le sens prête")

    def wait_for_sentences(self, timeout: float | None = None) -> bool:
        """Wait until the sentence reading being built is ready (or failed); True when it now serves.

        For a batch of questions (`ask --jsonl`) that must all be read alike,
        and for tests. The bot itself never waits.
        """
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
        return self.current.matcher.sentences is not None

    @classmethod
    def load(
        cls,
        directory: Path,
        strict: bool = False,
        cache: ModelCache | None = None,
        learn: bool = True,
        sentences: bool = False,
    ) -> Engine:
        """First load. Files with errors are skipped (and reported) unless `strict`.

        Raises KnowledgeError when nothing usable is left: a bot without any
        entry cannot help anyone, and a bot whose danger data is missing or
        broken could fail a person in danger: both must stop at start-up.
        `cache` keeps learned models (on disk in the data directory, if given);
        `learn=False` gives the lexical matcher alone (benchmarks compare both).
        `sentences`: also read messages by meaning once the background thread has it ready.
        A large base's models missing from a disk `cache` are built by a child process
        (`bot.knowledge.apart`), so that this one holds what a warm start holds.
        """
        directory = Path(directory)
        read_meaning = shipped_reading(cache) if sentences else None
        with collector_paused():
            result = load_knowledge(directory)
            if cache is not None and cache is not DEFAULT_CACHE and learn:
                send_cold_builds_apart(cache, directory, result.kb, stamp=lambda: _fingerprint(directory))
            return cls.from_result(directory, result, strict, cache, learn, read_meaning)

    @classmethod
    def from_result(
        cls,
        directory: Path,
        result: LoadResult,
        strict: bool = False,
        cache: ModelCache | None = None,
        learn: bool = True,
        read_meaning: ReadMeaning | None = None,
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
        snapshot = build_snapshot(result.kb, cache, learn)
        return cls(directory, snapshot, result.problems, cache, learn, read_meaning)

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
            self._serve(build_snapshot(result.kb, self.cache, self.learn))
            self.problems = result.problems
            self.missing = missing_entries(self.directory, result.problems, result.kb)
            log.info("base rechargée : %s", result.summary())
            return ReloadResult(True, result.summary(), result.problems)

    def changed_on_disk(self) -> bool:
        return _fingerprint(self.directory) != self._fingerprint
