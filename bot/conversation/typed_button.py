"""A button's label (or « oui » / « non ») typed instead of pressing the button.

Why: on a phone, many residents type their answer rather than press a
button. After /oubli, « oui » typed was read as a bare agreement (« D'accord,
vous pouvez m'écrire… ») and nothing was erased, though the resident had just
been asked « Voulez-vous vraiment effacer… ? ». « Je n'habite pas dans ces
quartiers » typed under the quartier question was answered with the
neighbourhood-mediation topic, « ça m'aide » under an answer with the
rights simulator. Only the very next message, and only a whole
reply, counts: anything longer is a new question as usual.
"""

from __future__ import annotations

from bot.conversation.actions import Action, parse
from bot.conversation.check_typing import fold as fold_as_typed
from bot.conversation.check_typing import yes_no
from bot.conversation.reply import Button
from bot.understanding.normalize import fold

# Only these buttons are read from typed words: a quartier, the erasure confirmation, « Pour aller plus
# loin » and « 👍 Ça m'aide » / « 👎 Pas vraiment » (reminders and call-backs read typed words themselves).
TYPEABLE = frozenset({Action.QUARTIER, Action.FORGET, Action.MORE, Action.FEEDBACK})

_YES = frozenset(
    {"oui", "ouais", "ouai", "yes", "ok", "okay", "d accord", "dac", "oui merci", "oui svp"}
    # The erasure button's own words, typed.
    | {"oui effacer", "oui efface", "effacer", "efface", "efface tout", "oui efface tout", "supprimer"}
)
_NO = frozenset({"non", "no", "nan", "non merci", "surtout pas", "annuler", "ne rien effacer"})
# « Je n'habite pas dans ces quartiers » in fewer words.
_ELSEWHERE = frozenset({"aucun", "aucun des 5", "aucun de ces quartiers", "ailleurs", "autre", "autre quartier"})


def typeable(buttons: list[list[Button]]) -> list[Button]:
    """The buttons of a reply that a typed answer may press (the rest keep their own flows)."""
    found = []
    for row in buttons:
        for button in row:
            pressed = parse(button.action)
            if pressed is not None and pressed.action in TYPEABLE:
                found.append(button)
    return found


def typed_button(text: str, buttons: list[Button]) -> str | None:
    """The action of the button the typed text designates, or None for an ordinary message."""
    folded = fold(text)
    if not folded or not buttons:
        return None
    for button in buttons:
        if folded == fold(button.label):
            return button.action
    by_value = {parsed.value: button.action for button in buttons if (parsed := parse(button.action)) is not None}
    said = yes_no(fold_as_typed(text))  # the rights check's yes and no (« o », « bien sûr », « aucun »…)
    if (said == "oui" or folded in _YES) and "oui" in by_value:
        return by_value["oui"]
    if (said == "non" or folded in _NO) and "non" in by_value:
        return by_value["non"]
    if folded in _ELSEWHERE:
        return next((action for value, action in by_value.items() if value == "ailleurs"), None)
    return None


def is_forget_answer(action: str) -> bool:
    """Whether a typed answer pressed the erasure confirmation (answered even during the rights check)."""
    pressed = parse(action)
    return pressed is not None and pressed.action is Action.FORGET
