"""Throughput through the real Telegram stack, against the fake Bot API server.

The bot under test is the production `Application` from
`bot.channels.telegram.build_application` (long polling over HTTP, per-chat
ordering, rate limiter, the SQLite store), in a process of its own, as in
production; only Telegram is fake (tests/fake_telegram.py, in this process,
so the fake's CPU time is not charged to the bot).

Load: 200 chats, 2,000 text questions in all. Each chat sends its next
question as soon as the bot has finished answering the previous one (a closed
loop: the questions arrive as fast as the bot takes them, and a chat never has
two questions in flight, as with a real person). Reported: updates handled
per second, and reply latency from the moment the update is queued at the
fake Telegram to the moment the bot's reply reaches it (median, p99).

Telegram lets a bot send about 30 messages per second; the bot's own capacity
must be ten times that (300 updates/s) so it is never the bottleneck. That is
why, by default, the flood limit of PTB's rate limiter (30 msg/s overall) is
lifted for the run: with it, this benchmark would only measure the limiter.
`--telegram-limit` keeps it, to watch the bot pace itself at ~30 msg/s.

Run: python bench/throughput.py [--chats 200] [--questions 2000] [--idle-questions 50] [--telegram-limit]
[--model-cache DIR] (trained models to read back, as a restarted bot does; the tests pass theirs: the
bot's start-up is never part of the figures, training it again only made the run longer).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from speed import load_questions  # noqa: E402

from bot.channels.telegram import ALLOWED_UPDATES, build_application  # noqa: E402
from bot.config import REPO_KNOWLEDGE, Settings  # noqa: E402
from bot.knowledge.engine import Engine  # noqa: E402
from bot.storage.store import Store  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402
from tests import fake_telegram  # noqa: E402
from tests.fake_telegram import FakeTelegram, FakeUser  # noqa: E402

# The fake writes a response's headers and body in two sends; with Nagle's
# algorithm and the client's delayed ACK that costs ~40 ms a reply, which real
# Telegram does not. Only this benchmark's copy of the class is changed.
fake_telegram._Handler.disable_nagle_algorithm = True

TARGET_PER_SECOND = 300  # 10 × Telegram's ~30 messages per second
FIRST_CHAT_ID = 5_000_000
IDLE_QUESTIONS = 50


class ReplyWatch(FakeTelegram):
    """The fake Telegram, telling the load generator when a chat gets its answer.

    sendMessage is handled in the server's threads; the waiting chat lives on
    the generator's asyncio loop, hence call_soon_threadsafe.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.waiting: dict[int, asyncio.Event] = {}

    def api_sendMessage(self, params: dict) -> dict:
        message = super().api_sendMessage(params)
        event = self.waiting.get(params.get("chat_id"))
        if event is not None:
            self.loop.call_soon_threadsafe(event.set)
        return message


async def _chat(fake: ReplyWatch, user: FakeUser, questions: list[str], latencies: list[float], timeout: float) -> None:
    """One resident: ask, wait for the answer, ask the next question."""
    for question in questions:
        answered = fake.waiting[user.id] = asyncio.Event()
        start = time.perf_counter()
        fake.send_text(user, question)
        await asyncio.wait_for(answered.wait(), timeout)
        latencies.append(time.perf_counter() - start)


# --------------------------------------------------------------------------- the bot, in its own process


async def serve_bot(root_url: str, token: str, db_path: Path, keep_limit: bool, model_cache: Path | None) -> None:
    """Child process: the production Application on the shipped base, until stdin closes."""
    engine = Engine.load(REPO_KNOWLEDGE, cache=ModelCache(model_cache) if model_cache else None)
    settings = Settings(
        knowledge_dir=REPO_KNOWLEDGE,
        db_path=db_path,
        secret="bench-only-secret",
        telegram_token=token,
        telegram_base_url=root_url,
    )
    app = build_application(settings, engine, Store(db_path), reload_interval=3600, purge_first=3600)
    limiter = app.bot.rate_limiter
    if not keep_limit and getattr(limiter, "_base_limiter", None) is not None:
        limiter._base_limiter = None  # PTB's overall 30 msg/s limit; private chats have no other
    # Started the way run_polling starts it (and tests/test_telegram.py), minus signal handling.
    await app.initialize()
    await app.post_init(app)
    await app.updater.start_polling(timeout=1, poll_interval=0, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    print("ready", flush=True)
    loop_cpu = time.thread_time()  # this thread runs the event loop: handlers, PTB, httpx
    try:
        await asyncio.to_thread(sys.stdin.read)  # the parent closes our stdin to stop us
    finally:
        print(f"loop-cpu {time.thread_time() - loop_cpu:.3f}", flush=True)
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)


# --------------------------------------------------------------------------- the load


async def run(
    chats: int, total: int, keep_limit: bool, workdir: Path, idle_questions: int, model_cache: Path | None
) -> dict[str, float]:
    """Fake Telegram here, the bot in a subprocess; drive the load, return the figures."""
    questions, _ = load_questions()
    fake = ReplyWatch(asyncio.get_running_loop()).start()
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--bot-child",
        fake.root_url,
        fake.token,
        str(workdir / "relais.db"),
        *(["--telegram-limit"] if keep_limit else []),
        *(["--model-cache", str(model_cache)] if model_cache else []),
    ]
    child = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    try:
        line = await asyncio.wait_for(child.stdout.readline(), 60)
        if line.strip() != b"ready":
            raise RuntimeError("the bot did not start")
        idle: list[float] = []  # one chat alone first: the latency without any queueing
        idle_start = time.perf_counter()
        await _chat(fake, FakeUser(FIRST_CHAT_ID - 1, "Alone"), questions[:idle_questions], idle, timeout=30)
        idle_seconds = time.perf_counter() - idle_start
        per_chat = [[questions[(c * 7 + i) % len(questions)] for i in range(total // chats)] for c in range(chats)]
        latencies: list[float] = []
        start = time.perf_counter()
        await asyncio.gather(
            *(
                _chat(fake, FakeUser(FIRST_CHAT_ID + c, f"Chat{c}"), qs, latencies, timeout=120)
                for c, qs in enumerate(per_chat)
            )
        )
        elapsed = time.perf_counter() - start
    finally:
        child.stdin.close()
        rest, _ = await asyncio.wait_for(child.communicate(), 30)
        fake.stop()
    loop_cpu = next(
        (float(line.split()[1]) for line in rest.decode().splitlines() if line.startswith("loop-cpu")), float("nan")
    )
    calls = fake.calls_to("sendMessage")
    array = np.asarray(latencies) * 1000
    return {
        "updates": len(latencies),
        "chats": chats,
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        "median_ms": float(np.median(array)),
        "p99_ms": float(np.percentile(array, 99)),
        "max_ms": float(array.max()),
        "messages": len(calls),
        "errors": sum(c.answered != 200 for c in calls),
        "loop_cpu_s": loop_cpu,
        "all_updates": len(latencies) + len(idle),
        "all_seconds": elapsed + idle_seconds,
        "idle_median_ms": 1000 * float(np.median(idle)),
        "idle_p99_ms": 1000 * float(np.percentile(idle, 99)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument(
        "--telegram-limit", action="store_true", help="keep PTB's 30 msg/s flood limit (then expect ~30 updates/s)"
    )
    parser.add_argument("--idle-questions", type=int, default=IDLE_QUESTIONS, help="one chat alone first")
    parser.add_argument("--model-cache", type=Path, help="folder of trained models to read back (and keep)")
    parser.add_argument("--bot-child", nargs=3, metavar=("URL", "TOKEN", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("NO_PROXY", "no_proxy"):  # httpx honours proxy variables: reach 127.0.0.1 directly
        os.environ[name] = "127.0.0.1,localhost"
    logging.basicConfig(level=logging.WARNING)
    if args.bot_child:
        url, token, db = args.bot_child
        asyncio.run(serve_bot(url, token, Path(db), args.telegram_limit, args.model_cache))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        figures = asyncio.run(
            run(args.chats, args.questions, args.telegram_limit, Path(tmp), args.idle_questions, args.model_cache)
        )
    limit = "kept (30 msg/s)" if args.telegram_limit else "lifted (measuring the bot, not the limiter)"
    verdict = "ok" if figures["per_second"] >= TARGET_PER_SECOND else "MISSED"
    if args.telegram_limit:
        verdict = "not comparable: the limiter paces the bot"
    print(
        f"Telegram stack, fake Bot API server: {figures['updates']:,} text updates from {figures['chats']} chats, "
        f"each chat waiting for its answer before the next question; flood limit {limit}"
    )
    print(
        f"updates handled per second: {figures['per_second']:,.0f}  (target ≥ {TARGET_PER_SECOND} "
        f"{verdict}) in {figures['seconds']:.1f} s"
    )
    print(
        f"reply latency (update queued → reply sent): median {figures['median_ms']:.1f} ms, "
        f"p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms"
    )
    print(
        f"reply latency for one chat alone (no queueing, {args.idle_questions} questions): "
        f"median {figures['idle_median_ms']:.1f} ms, p99 {figures['idle_p99_ms']:.1f} ms"
    )
    print(f"sendMessage calls: {figures['messages']:,} ({figures['errors']} refused by the fake Telegram)")
    print(
        f"bot event-loop thread: {1000 * figures['loop_cpu_s'] / figures['all_updates']:.1f} ms CPU per update, "
        f"busy {100 * figures['loop_cpu_s'] / figures['all_seconds']:.0f} % of the run "
        f"(near 100 %: the loop's CPU is the limit, not Telegram)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
