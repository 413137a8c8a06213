"""Thin adapters between people and the conversation core: the console and Telegram.

A channel turns what it receives into a call on `bot.conversation.Conversation`
and renders the `Reply`; no channel type (Telegram's included) goes below it.
The Telegram adapter is the `telegram` subpackage, imported only by `run`
(the other commands don't need python-telegram-bot).
"""

from bot.channels.console import CONSOLE_KEY, ConsoleSession, render

__all__ = ["CONSOLE_KEY", "ConsoleSession", "render"]
