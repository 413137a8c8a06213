"""Start and stop the real python-telegram-bot `Application` the way `run_polling` does, minus signals.

Why one helper: every end-to-end test module started the application in the
same seven steps and stopped it in four, and a step forgotten in one copy (an
updater left running) shows up only as a hang in another test.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.channels.telegram.app import ALLOWED_UPDATES


@asynccontextmanager
async def polling(app: Any, start_delay: float = 0.0) -> AsyncIterator[Any]:
    """Initialise, long-poll the fake server, start handling updates; stop everything that runs on the way out.

    `start_delay` waits between polling and starting the handlers, like a slow
    start (Telegram retries, a busy machine).
    """
    await app.initialize()
    await app.post_init(app)
    await app.updater.start_polling(timeout=1, poll_interval=0, allowed_updates=ALLOWED_UPDATES)
    await asyncio.sleep(start_delay)  # even 0 lets the loop run once, as the tests always did
    await app.start()
    try:
        yield app
    finally:
        if app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        await app.post_shutdown(app)
