"""Logging for the bot process: stderr at RELAIS_LOG_LEVEL, the token never written."""

from __future__ import annotations

import logging

from bot.config import Settings


class TokenFilter(logging.Filter):
    """Masks the bot token in log records (httpx and PTB log URLs that contain it)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        secrets = [token]
        if ":" in token:
            secrets.append(token.split(":", 1)[1])  # the secret half alone
        self._secrets = [s for s in secrets if len(s) >= 8]

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<TELEGRAM_TOKEN>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        masked = self.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.mask(record.exc_text)
        return True


def configure_logging(settings: Settings) -> None:
    """Log to stderr at RELAIS_LOG_LEVEL, with the token masked and chatty libraries quiet."""
    logging.basicConfig(
        level=getattr(logging, settings.log_level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # APScheduler logs each run of the 5-second knowledge watch at INFO.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if settings.telegram_token:
        install_token_filter(settings.telegram_token)


def install_token_filter(token: str) -> TokenFilter:
    """Attach the mask to every root handler (filters on loggers don't see propagated records)."""
    token_filter = TokenFilter(token)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(token_filter)
    return token_filter
