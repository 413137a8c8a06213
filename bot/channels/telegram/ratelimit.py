"""Telegram's flood limits, and retries of the sends Telegram did not take (5xx)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from telegram.error import NetworkError
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (flood limits, waits out 429 retry_after) that also retries 5xx.

    A 502/503 from Telegram (or a dropped connection) means the message was not
    taken: sending it again after a short pause is what keeps an answer from
    being lost. Timeouts and 4xx errors are not retried (a timed-out send may
    have been delivered; a Bad Request will not get better).
    """

    def __init__(self, *, max_retries: int = 3, network_retries: int = 3, backoff: float = 0.5) -> None:
        super().__init__(max_retries=max_retries)
        self._network_retries = network_retries
        self._backoff = backoff

    async def process_request(
        self,
        callback: Callable[..., Any],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        delay = self._backoff
        for attempt in range(self._network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if type(exc) is not NetworkError or attempt == self._network_retries:
                    raise
                log.warning("Telegram %s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover
