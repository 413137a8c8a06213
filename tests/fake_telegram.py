"""A fake Telegram Bot API server for end-to-end tests, on 127.0.0.1, over real HTTP.

Why a server and not mocks: the bot under test is the real python-telegram-bot
`Application` (HTTPX requests, JSON/form encoding, long polling, rate limiter,
error mapping). Only the far end is fake. It answers like Telegram does:

- routes ``/bot<token>/<method>``; a wrong token gets 401 Unauthorized, an
  unknown method 404;
- request bodies may be form-encoded (PTB's default, with JSON-encoded values
  for non-string parameters), JSON, or a query string;
- ``getUpdates`` honours ``offset`` (confirming earlier updates) and blocks up
  to ``timeout`` seconds until an update is queued (long polling);
- ``sendMessage`` checks what Telegram checks and tests rely on: HTML that
  Telegram could parse, at most 4096 characters after entity parsing, callback
  data of 1-64 bytes;
- faults can be injected: the next N calls to a method answer 429 with
  ``parameters.retry_after`` or 502 Bad Gateway, and a chat put in ``blocked``
  gets 403 Forbidden, as when its user has blocked the bot.

Every call is recorded (method and decoded parameters) so tests can assert on
what the bot sent. The server runs in a daemon thread (stdlib
``ThreadingHTTPServer``) so it never blocks the bot's asyncio loop.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

BOT_ID = 7000000001
BOT_USERNAME = "relais_droits_test_bot"
DEFAULT_TOKEN = f"{BOT_ID}:AAFakeTokenForTests_abcdefghijklmnopq"

# Parameters that PTB sends JSON-encoded inside form bodies.
JSON_FIELDS = {
    "reply_markup",
    "link_preview_options",
    "commands",
    "scope",
    "allowed_updates",
    "reply_parameters",
    "entities",
    "disable_notification",
    "protect_content",
    "show_alert",
    "drop_pending_updates",
}
INT_FIELDS = {"chat_id", "offset", "limit", "timeout", "message_id", "cache_time"}

# Tags Telegram accepts in parse_mode=HTML.
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
MAX_TEXT = 4096
# How long a test waits for the bot before failing. Only a failing test waits this long; a passing one
# returns as soon as the bot has answered. 10 s failed tests whenever the 2-core machine ran eight
# engineers' work at once (a knowledge reload, seconds when idle, then took over ten).
WAIT_SECONDS = 30.0
MAX_CALLBACK_DATA = 64


class ApiError(Exception):
    """An error answer of the Bot API (HTTP status, description, optional parameters)."""

    def __init__(self, status: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass(frozen=True)
class FakeUser:
    """A made-up Telegram user; in a private chat the chat id equals the user id."""

    id: int
    first_name: str = "Test"
    language_code: str = "fr"

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    def chat(self) -> dict:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    answered: int = 200


@dataclass
class Fault:
    status: int
    retry_after: int | None
    remaining: int


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^<>]*)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def check_html(text: str) -> int:
    """Return the length of an HTML text after Telegram parses it, or raise ApiError like Telegram.

    Telegram requires every <, > and & that is not part of a supported tag or
    entity to be escaped; its length limit counts UTF-16 code units after parsing.
    """
    for match in _TAG.finditer(text):
        if match.group(2).lower() not in ALLOWED_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{match.group(2)}"')
    plain = _TAG.sub("", text)
    if "<" in plain or ">" in plain:
        raise ApiError(400, "Bad Request: can't parse entities: unexpected < or >")
    if "&" in _ENTITY.sub("", plain):
        raise ApiError(400, "Bad Request: can't parse entities: unsupported entity")
    return utf16_len(html.unescape(plain))


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram:
    """The fake Bot API. Use as a context manager or call start()/stop()."""

    def __init__(self, token: str = DEFAULT_TOKEN, username: str = BOT_USERNAME) -> None:
        self.token = token
        self.username = username
        self.calls: list[Call] = []
        self.commands: list[dict] = []
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._faults: dict[str, list[Fault]] = {}
        self._cond = threading.Condition()
        self._closing = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.max_long_poll = 5.0  # never block a test longer than this
        self.blocked: set[int] = set()  # chats whose user blocked the bot: sendMessage answers 403

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> FakeTelegram:
        fake = self

        class Handler(_Handler):
            server_fake = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-telegram", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return self._server.server_address[1]

    @property
    def root_url(self) -> str:
        """What TELEGRAM_BASE_URL is set to (the bot appends ``/bot<token>``)."""
        return f"http://127.0.0.1:{self.port}"

    # ------------------------------------------------------------------ faults
    def fail_next(self, method: str, count: int = 1, status: int = 429, retry_after: int | None = 1) -> None:
        """Make the next `count` calls to `method` fail with `status` (429 or 502...)."""
        with self._cond:
            self._faults.setdefault(method, []).append(
                Fault(status=status, retry_after=retry_after if status == 429 else None, remaining=count)
            )

    def _take_fault(self, method: str) -> Fault | None:
        with self._cond:
            faults = self._faults.get(method) or []
            while faults:
                fault = faults[0]
                if fault.remaining > 0:
                    fault.remaining -= 1
                    return fault
                faults.pop(0)
        return None

    # ------------------------------------------------------------------ updates
    def _push(self, payload: dict) -> dict:
        with self._cond:
            update = {"update_id": next(self._update_ids), **payload}
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def _message(self, user: FakeUser, **content: Any) -> dict:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": user.chat(),
            "from": user.as_dict(),
            **content,
        }

    def send_text(self, user: FakeUser, text: str) -> dict:
        """Queue a text message; a leading /command gets its bot_command entity, like Telegram."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": self._message(user, **content)})

    def send_command(self, user: FakeUser, command: str) -> dict:
        return self.send_text(user, command if command.startswith("/") else "/" + command)

    def send_location(self, user: FakeUser, lat: float, lon: float) -> dict:
        return self._push({"message": self._message(user, location={"latitude": lat, "longitude": lon})})

    def send_sticker(self, user: FakeUser) -> dict:
        sticker = {
            "file_id": "CAACAgIAAxkBAAEFake",
            "file_unique_id": "AgADFake",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😀",
        }
        return self._push({"message": self._message(user, sticker=sticker)})

    def send_voice(self, user: FakeUser, duration: int = 4) -> dict:
        voice = {
            "file_id": "AwACAgFakeVoice",
            "file_unique_id": "AgADVoice",
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return self._push({"message": self._message(user, voice=voice)})

    def send_photo(self, user: FakeUser, caption: str | None = None) -> dict:
        photo = [{"file_id": "AgACAgFakePhoto", "file_unique_id": "AQADPhoto", "width": 90, "height": 90}]
        extra = {"caption": caption} if caption else {}
        return self._push({"message": self._message(user, photo=photo, **extra)})

    def press(self, user: FakeUser, message: dict, data: str) -> dict:
        """Queue a callback query: `user` pressed the button carrying `data` under `message`.

        `message` is a message the bot sent (as returned in a sendMessage call's result).
        """
        query = {
            "id": str(next(self._callback_ids)),
            "from": user.as_dict(),
            "message": message,
            "chat_instance": f"ci{user.id}",
            "data": data,
        }
        return self._push({"callback_query": query})

    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates)

    # ------------------------------------------------------------------ inspection
    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._cond:
            return [
                c for c in self.calls if c.method == method and (chat_id is None or c.params.get("chat_id") == chat_id)
            ]

    def sent(self, chat_id: int | None = None) -> list[dict]:
        """The successful sendMessage results (the messages as Telegram stored them)."""
        return [c.params["_result"] for c in self.calls_to("sendMessage", chat_id) if "_result" in c.params]

    async def wait_for(
        self,
        predicate: Callable[[FakeTelegram], Any],
        timeout: float = WAIT_SECONDS,
    ) -> Any:
        """Wait (without blocking the event loop) until predicate(self) is truthy; return it."""
        deadline = time.monotonic() + timeout
        while not (value := self._check(predicate, deadline)):
            await asyncio.sleep(0.02)
        return value

    def wait_for_sync(self, predicate: Callable[[FakeTelegram], Any], timeout: float = WAIT_SECONDS) -> Any:
        """Like wait_for, for code outside an event loop (subprocess tests)."""
        deadline = time.monotonic() + timeout
        while not (value := self._check(predicate, deadline)):
            time.sleep(0.02)
        return value

    def _check(self, predicate: Callable[[FakeTelegram], Any], deadline: float) -> Any:
        """predicate(self), or an AssertionError naming the calls seen once the deadline has passed."""
        value = predicate(self)
        if not value and time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; calls: {[c.method for c in self.calls]}")
        return value

    async def wait_messages(self, chat_id: int, count: int, timeout: float = WAIT_SECONDS) -> list[dict]:
        """Wait until the bot has sent at least `count` messages to `chat_id`; return them all."""
        return await self.wait_for(lambda f: len(f.sent(chat_id)) >= count and f.sent(chat_id), timeout)

    # ------------------------------------------------------------------ API
    def handle(self, method: str, params: dict[str, Any]) -> Any:
        """Run one Bot API method; return its result or raise ApiError."""
        fault = self._take_fault(method)
        if fault is not None:
            if fault.status == 429:
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {fault.retry_after}",
                    {"retry_after": fault.retry_after},
                )
            raise ApiError(fault.status, "Bad Gateway")
        handler = getattr(self, "api_" + method, None)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(params)

    def api_getMe(self, params: dict) -> dict:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Relais Droits (test)",
            "username": self.username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def api_deleteWebhook(self, params: dict) -> bool:
        return True

    def api_setWebhook(self, params: dict) -> bool:
        return True

    def api_getWebhookInfo(self, params: dict) -> dict:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": self.pending_updates()}

    def api_close(self, params: dict) -> bool:
        return True

    def api_logOut(self, params: dict) -> bool:
        return True

    def api_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), self.max_long_poll)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        with self._cond:
            if offset:
                # Telegram forgets every update below offset: they are confirmed.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(remaining)
            return [u for u in self._updates if u["update_id"] >= offset][:limit]

    def api_sendMessage(self, params: dict) -> dict:
        chat_id = params.get("chat_id")
        text = params.get("text")
        if not chat_id:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if params.get("parse_mode") == "HTML":
            length = check_html(text)
        else:
            length = utf16_len(text)
        if length > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        self._check_markup(params.get("reply_markup"))
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Relais Droits (test)", "username": self.username},
            "text": html.unescape(_strip_tags(text)) if params.get("parse_mode") == "HTML" else text,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        params["_result"] = message
        return message

    def api_answerCallbackQuery(self, params: dict) -> bool:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    def api_editMessageText(self, params: dict) -> dict:
        if not params.get("text"):
            raise ApiError(400, "Bad Request: message text is empty")
        if params.get("parse_mode") == "HTML":
            check_html(params["text"])
        self._check_markup(params.get("reply_markup"))
        return {
            "message_id": params.get("message_id"),
            "date": int(time.time()),
            "chat": {"id": params.get("chat_id"), "type": "private"},
            "text": params["text"],
        }

    def api_editMessageReplyMarkup(self, params: dict) -> dict:
        self._check_markup(params.get("reply_markup"))
        return {
            "message_id": params.get("message_id"),
            "date": int(time.time()),
            "chat": {"id": params.get("chat_id"), "type": "private"},
            "text": "…",
        }

    def api_setMyCommands(self, params: dict) -> bool:
        commands = params.get("commands") or []
        for command in commands:
            name = command.get("command", "")
            if not (1 <= len(name) <= 32) or not name.replace("_", "").isalnum() or name.lower() != name:
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not (1 <= len(command.get("description", "")) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = commands
        return True

    def api_getMyCommands(self, params: dict) -> list[dict]:
        return self.commands

    def api_deleteMyCommands(self, params: dict) -> bool:
        self.commands = []
        return True

    def api_sendChatAction(self, params: dict) -> bool:
        return True

    @staticmethod
    def _check_markup(markup: Any) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not (1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA):
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")


def _strip_tags(text: str) -> str:
    return _TAG.sub("", text)


def decode_params(raw: dict[str, str]) -> dict[str, Any]:
    """Turn form values into what Telegram would understand (JSON for structured fields)."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str) and key in JSON_FIELDS:
            try:
                value = json.loads(value)
            except ValueError:
                pass
        if isinstance(value, str) and key in INT_FIELDS:
            try:
                value = int(value)
            except ValueError:
                pass
        params[key] = value
    return params


class _Handler(BaseHTTPRequestHandler):
    server_fake: FakeTelegram
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # keep test output clean (and the token out of it)

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _read_params(self) -> dict[str, Any]:
        url = urlsplit(self.path)
        raw: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body:
            if ctype == "application/json":
                raw.update(json.loads(body.decode("utf-8")))
            elif ctype == "application/x-www-form-urlencoded":
                raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            elif ctype.startswith("multipart/"):
                raw.update(_parse_multipart(self.headers.get("Content-Type", ""), body))
        return decode_params(raw)

    def _dispatch(self) -> None:
        fake = self.server_fake
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        params = self._read_params()
        if len(parts) != 2 or not parts[0].startswith("bot"):
            self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = parts[0][3:], parts[1]
        if token != fake.token:
            call = Call(method="<unauthorized>" + method, params={}, answered=401)
            with fake._cond:
                fake.calls.append(call)
            self._send(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        call = Call(method=method, params=params)
        with fake._cond:
            fake.calls.append(call)
        try:
            result = fake.handle(method, params)
        except ApiError as exc:
            call.answered = exc.status
            if exc.status == 502:
                self._send_raw(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
                return
            body: dict[str, Any] = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            self._send(exc.status, body)
            return
        self._send(200, {"ok": True, "result": result})

    def _send(self, status: int, body: dict) -> None:
        self._send_raw(status, json.dumps(body).encode("utf-8"), "application/json")

    def _send_raw(self, status: int, payload: bytes, ctype: str) -> None:
        try:
            self.send_response(status, HTTPStatus(status).phrase)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. a cancelled long poll at shutdown)


def _parse_multipart(content_type: str, body: bytes) -> dict[str, str]:
    """Minimal multipart/form-data reader (PTB uses it only when uploading files)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name and part.get_filename() is None:
            fields[name] = (
                part.get_content()
                if part.get_content_type().startswith("text/")
                else part.get_payload(decode=True).decode("utf-8", "replace")
            )
    return fields
