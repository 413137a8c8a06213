"""Cold builds in a child process: the bot's own process never keeps a training's heap.

Training the learned models of the shipped base, or encoding its 9,000 texts
for the sentence reading, leaves the process that did it with 70 to 100 MB more
resident memory than a process that read the same arrays back from the model
cache: the memory of the millions of short-lived strings and lists a training
creates stays mapped after they are freed (Python's small-object arenas and
malloc's heap; `malloc_trim` gave nothing back, measured on 6 December 2026).
A cold start peaked at 336 to 376 MB, a warm one at 259 to 265 MB.

So when the engine of a large base (`APART_FROM_TEXTS`) misses a model in the
data directory's cache, a child process builds every model of that group into
the cache folder, the engine waits for it and reads the arrays back as a warm
start does. At the first start, when the process runs no other thread yet, the
child is a fork of it: it already holds the files just read, so it only trains.
Otherwise (a reload, the sentence reading's background thread) it is a fresh
interpreter (`python -m bot.knowledge.apart models|sentences KNOWLEDGE CACHE`):
forking a process whose other threads may hold a lock is not safe. The child's
memory dies with it; the bot's process holds what a warm start holds. A hot
reload of changed files trains in a child too, so the serving process neither
grows nor competes for the interpreter while answering.

Nothing depends on the child: if it fails, times out or read other files (a
mediator saved again meanwhile), its output does not match, a warning is logged
and the model is built in the bot's process as before. Small bases (the tests',
a new deployment's) are built in process: starting an interpreter would cost
more than their training. The sentence vectors of a reload are built in process
as well: only the changed texts are encoded then, from the previous reading.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from bot.knowledge.model import KnowledgeBase
from bot.understanding.model_cache import ModelCache
from bot.understanding.sentence_evidence import CACHE_NAME as SENTENCES_NAME

log = logging.getLogger(__name__)

# Texts (phrasings of entries and dangers, look-alikes) from which training in a child pays: the shipped
# base has about 13,500 and trains in about 7 s; the tests' base, 300 texts, in a tenth of a second.
APART_FROM_TEXTS = 2_000
TIMEOUT_S = 900.0  # far above the shipped base's 7 s of training or 12 s of encoding on a busy machine
MODELS, SENTENCES = "models", "sentences"
# The folder the running `bot` package was imported from: the child must run this same code (its cache keys
# hold the code's version), not another copy installed in the environment.
PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
# Fork at the first start when no other thread runs (no imports nor YAML to read again: about 1 s less).
FORK_WHEN_ALONE = hasattr(os, "fork")


def send_cold_builds_apart(
    cache: ModelCache, knowledge: Path, kb: KnowledgeBase, stamp: Callable[[], Hashable]
) -> None:
    """For a large base with a disk cache: what the cache misses is built by a child process first."""
    if cache.directory is None or cache.elsewhere is not None or training_texts(kb) < APART_FROM_TEXTS:
        return
    cache.elsewhere = ChildBuilds(knowledge, cache.directory, stamp, read=(stamp(), kb))


def training_texts(kb: KnowledgeBase) -> int:
    """How many texts the learned models of `kb` are trained on (what their cost grows with)."""
    count = sum(len(kb.phrasings_of(entry_id)) for entry_id in kb.entries)
    if kb.dangers is not None:
        count += sum(len(kind.phrasings) for kind in kb.dangers.kinds.values()) + len(kb.dangers.lookalikes)
    return count


def group_of(name: str) -> str:
    """The child build a cached array of this name comes from: the sentence vectors, or the models."""
    return SENTENCES if name == SENTENCES_NAME else MODELS


class ChildBuilds:
    """`ModelCache.elsewhere` for one knowledge folder: build a missing group of models in a child process.

    At most one child per group and content of the folder (`stamp`, the
    engine's fingerprint of its files): a child whose output still misses
    (other content, an error) is not started again for the same files. After a
    child that failed, every model is built in process for the rest of the run.
    """

    def __init__(
        self,
        knowledge: Path,
        cache_dir: Path,
        stamp: Callable[[], Hashable],
        command: Sequence[str] = (sys.executable, "-m", "bot.knowledge.apart"),
        timeout_s: float = TIMEOUT_S,
        read: tuple[Hashable, KnowledgeBase] | None = None,
    ) -> None:
        self.knowledge = Path(knowledge)
        self.cache_dir = Path(cache_dir)
        self.stamp = stamp
        self.command = tuple(command)
        self.timeout_s = timeout_s
        self.started: list[str] = []  # the groups a child was started for, in order (tests, logs)
        self.ways: list[str] = []  # how each was started: "fork" or "spawn"
        self._read = read  # the base the engine has just read, and the stamp of its files then
        self._tried: set[tuple[str, Hashable]] = set()
        self._broken = False
        self._lock = threading.Lock()

    def __call__(self, name: str) -> bool:
        """Build the group of `name` in a child; True if the child ran to its end (its arrays can be read)."""
        group = group_of(name)
        if group == SENTENCES and any(self.cache_dir.glob(f"{SENTENCES_NAME}-*.npz")):
            return False  # a reload: the previous vectors are reused in process, only new texts encoded
        with self._lock:
            attempt = (group, self.stamp())
            if self._broken or attempt in self._tried:
                return False
            self._tried.add(attempt)
            self.started.append(group)
            kb = self._forkable(group, attempt[1])
            self.ways.append("spawn" if kb is None else "fork")
        started = time.monotonic()
        done = self._spawn(group) if kb is None else self._fork(group, kb)
        if done:
            way = "nouveau processus" if kb is None else "copie du processus"
            log.info("modèles (%s) construits à part (%s) en %.1f s", group, way, time.monotonic() - started)
        return done

    def _forkable(self, group: str, stamp: Hashable) -> KnowledgeBase | None:
        """The base a fork would train on: the one just read, if its files are unchanged and no other thread runs."""
        if not FORK_WHEN_ALONE or group != MODELS or self._read is None or threading.active_count() > 1:
            return None
        read_stamp, kb = self._read
        return kb if read_stamp == stamp else None

    def _fork(self, group: str, kb: KnowledgeBase) -> bool:
        try:
            pid = os.fork()
        except OSError as exc:
            return self._failed(group, str(exc))
        if pid == 0:  # the child: build, write, and leave without the parent's exit handlers or buffers
            code = 1
            try:
                from bot.knowledge.engine import build_snapshot

                build_snapshot(kb, ModelCache(self.cache_dir))
                code = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        return True if code == 0 else self._failed(group, f"code {code}")

    def _spawn(self, group: str) -> bool:
        arguments = [*self.command, group, str(self.knowledge), str(self.cache_dir)]
        path = os.pathsep.join(part for part in (str(PACKAGE_ROOT), os.environ.get("PYTHONPATH", "")) if part)
        environment = {**os.environ, "PYTHONPATH": path}
        try:
            done = subprocess.run(
                arguments, capture_output=True, text=True, timeout=self.timeout_s, check=False, env=environment
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return self._failed(group, str(exc))
        if done.returncode != 0:
            return self._failed(group, f"code {done.returncode} : {_last_line(done.stderr)}")
        return True

    def _failed(self, group: str, why: str) -> bool:
        with self._lock:
            self._broken = True
        log.warning(
            "construction à part (%s) impossible (%s) : les modèles sont construits dans ce processus", group, why
        )
        return False


def _last_line(text: str) -> str:
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[-1][:300] if lines else "rien sur stderr"


def build_group(group: str, knowledge: Path, cache_dir: Path) -> int:
    """What the child does: read the folder, build the group into the cache folder; the exit code."""
    from bot.knowledge.engine import build_snapshot
    from bot.knowledge.loader import load_knowledge
    from bot.understanding.sentence_evidence import sentence_evidence_for

    kb = load_knowledge(knowledge).kb
    if not kb.entries or kb.dangers is None:
        print("base inutilisable : rien à construire", file=sys.stderr)
        return 2
    cache = ModelCache(cache_dir)
    if group == MODELS:
        build_snapshot(kb, cache)
        return 0
    if group == SENTENCES:
        if sentence_evidence_for(kb, cache=cache) is None:
            print("lecture par le sens indisponible (encodeur absent ?)", file=sys.stderr)
            return 3
        return 0
    print(f"groupe inconnu : {group} (choix : {MODELS}, {SENTENCES})", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if len(arguments) != 3:
        print(
            "usage : python -m bot.knowledge.apart models|sentences DOSSIER_CONNAISSANCES DOSSIER_CACHE",
            file=sys.stderr,
        )
        return 2
    group, knowledge, cache_dir = arguments
    logging.basicConfig(level=logging.ERROR)  # the bot's process already said what reading the files tells
    return build_group(group, Path(knowledge), Path(cache_dir))


if __name__ == "__main__":
    sys.exit(main())
