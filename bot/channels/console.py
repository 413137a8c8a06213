"""The console channel: a typed line in, plain text out; buttons become numbered choices.

`python -m bot chat` reads and prints; everything it says comes from the
conversation core through `ConsoleSession`, the same as on Telegram.
"""

from __future__ import annotations

from bot.conversation.actions import Action, encode
from bot.conversation.core import Conversation
from bot.conversation.reply import Reply

CONSOLE_KEY = "console"
COMMANDS = ("/start", "/aide", "/quartier", "/oubli", "/rappels", "/droits", "/stop")
ALIASES = {"/help": "/aide", "/arreter": "/stop", "/arrêter": "/stop"}  # as on Telegram
QUIT = ("/quitter", "/quit", "/exit")  # Ctrl-D (end of input) works too
MAX_CHOICE_DIGITS = 2  # menus have a dozen choices at most


def render(reply: Reply) -> tuple[str, list[str]]:
    """Plain-text rendering for the console: buttons become numbered choices."""
    actions = [button.action for row in reply.buttons for button in row]
    labels = [button.label for row in reply.buttons for button in row]
    text = reply.text
    if labels:
        text += "\n" + "\n".join(f"  [{i}] {label}" for i, label in enumerate(labels, 1))
    return text, actions


def wrong_choice_text(choices: int) -> str:
    """What to say to a number that matches no choice on screen."""
    if choices == 0:
        return "Il n'y a pas de choix à numéro ici : écrivez votre question avec vos mots."
    if choices == 1:
        return "Tapez 1, ou écrivez votre question."
    return f"Tapez un numéro entre 1 et {choices}, ou écrivez votre question."


def typed_command(line: str) -> str | None:
    """The command a line starts with ("/Aide svp" -> "/aide"), or None.

    Like Telegram: the first word only, in any case, so words typed after a
    command (or a capital put by the phone) do not turn it into a question.
    """
    words = line.split()
    first = words[0].lower().split("@")[0] if words else ""  # "/aide@relais_bot", as Telegram's menu sends it
    command = ALIASES.get(first, first)
    return command if command in COMMANDS else None


class ConsoleSession:
    """One console conversation; remembers the choices shown last, so "2" presses the second."""

    def __init__(self, conversation: Conversation, key: str = CONSOLE_KEY) -> None:
        self.conversation = conversation
        self.key = key
        self.actions: list[str] = []

    def choose_quartier(self, quartier: str) -> None:
        """`chat --quartier Q`: as if the resident had pressed that quartier's button."""
        self.conversation.press(self.key, encode(Action.QUARTIER, quartier))

    def handle(self, line: str) -> str | None:
        """The text to print for one typed line, or None for a blank line."""
        line = line.replace("\ufeff", "").strip()  # a file saved by Notepad starts with a byte-order mark
        if not line:
            return None
        # isdigit() accepts "²"; int() refuses it. A phone number or "115" is no menu choice: the core reads it.
        choice = line.isdecimal() and len(line) <= MAX_CHOICE_DIGITS
        if choice and not 1 <= int(line) <= len(self.actions) and self.conversation.rights_check.active(self.key):
            # "30" at « Quel âge avez-vous ? » (six choices) is an age, "0" an income: the check reads it.
            choice = False
        if choice and not 1 <= int(line) <= len(self.actions):
            # A lone number is a mistyped choice, not a question: say what works, keep the menu, record nothing.
            return wrong_choice_text(len(self.actions))
        command = typed_command(line)
        if choice:
            reply = self.conversation.press(self.key, self.actions[int(line) - 1])
        elif command is not None:
            words = line.split(maxsplit=1)[1:]  # "/aide je veux mourir": a danger in them comes first
            danger = self.conversation.danger_after_command(self.key, words[0]) if words else None
            reply = danger or {
                "/start": self.conversation.start,
                "/aide": self.conversation.help,
                "/quartier": lambda key: self.conversation.quartier_command(key, words[0] if words else ""),
                "/oubli": self.conversation.confirm_forget,
                "/rappels": self.conversation.reminders,
                "/droits": self.conversation.check_rights,
                "/stop": self.conversation.stop,
            }[command](self.key)
        else:
            reply = self.conversation.ask(self.key, line)
        text, self.actions = render(reply)
        return text
