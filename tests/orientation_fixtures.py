"""What the rights-check tests share: made-up rules on the small base, the shipped rules read, walking the check.

Why one module: the flow, typed-answer, order, certainty and precision tests
each kept their own copy of these helpers (and of the fixture that reads the
shipped rules), so a change to how a household is evaluated or a button is
pressed had to be made five times. The fixtures built on them (`check_kb`,
`shipped_rules`) are in `conftest.py`.
"""

from __future__ import annotations

from pathlib import Path

from bot.conversation.core import Conversation
from bot.conversation.reply import Reply
from bot.orientation.evaluate import Suggestion, evaluate
from bot.orientation.profile import parse_profile

KEY = "conv-check"

RULES = """\
verifie_le: 2026-01-01
regles:
  - fiche: rsa
    priorite: 80
    raison: "vous avez 25 ans ou plus et peu de revenus"
    si:
      - age: {au_moins: 25}
        source: https://exemple.test/rsa
    exclu_si:
      - revenus_mensuels: {plus_de: {selon: personnes, 1: 650, 2: 980, en_plus: 300}}
        source: https://exemple.test/rsa
  - fiche: css
    priorite: 70
    raison: "vos revenus sont modestes"
    si:
      - revenus_mensuels: {au_plus: {selon: personnes, 1: 1160, 2: 1740, en_plus: 460}}
        source: https://exemple.test/css
"""

SIMULATOR = """\
id: simulateur
titre: Savoir à quelles aides on a droit
formulations: [à quoi j'ai droit, quelles aides pour moi, simulateur d'aides]
reponse: Faites une simulation sur mesdroitssociaux.gouv.fr, ou faites le point avec une personne.
ou_aller: [caf]
liens:
  - titre: Mes droits sociaux
    url: https://www.mesdroitssociaux.gouv.fr
source: https://exemple.test/simulateur
verifie_le: 2026-01-01
"""

# A made-up adult alone, French, without disability or child: the base of the households below each test.
ADULT = {"couple": False, "enfants": [], "handicap": False, "papiers": "francais-ue"}


def add_check(kb_dir: Path) -> Path:
    """The small base with the made-up RSA and CSS rules and the simulator entry the check starts from."""
    (kb_dir / "orientation").mkdir()
    (kb_dir / "orientation" / "regles.yaml").write_text(RULES, encoding="utf-8")
    (kb_dir / "droits" / "simulateur.yaml").write_text(SIMULATOR, encoding="utf-8")
    return kb_dir


def suggestions(rules, answers: dict) -> list[Suggestion]:
    """The rights listed for these answers (a `droits --profil` mapping), most likely first."""
    return evaluate(rules, parse_profile(answers)[0])


def by_id(rules, answers: dict) -> dict[str, Suggestion]:
    return {s.entry_id: s for s in suggestions(rules, answers)}


def ids(rules, answers: dict) -> list[str]:
    return [s.entry_id for s in suggestions(rules, answers)]


def press_label(conversation: Conversation, reply: Reply, label: str, key: str = KEY) -> Reply:
    for row in reply.buttons:
        for button in row:
            if button.label.startswith(label):
                return conversation.press(key, button.action)
    raise AssertionError(f"no button {label!r}: {[b.label for r in reply.buttons for b in r]}")


def walk(conversation: Conversation, labels: list[str], key: str = KEY) -> Reply:
    """Start the check and press these buttons (by the start of their label), one per question."""
    reply = conversation.check_rights(key)
    for label in labels:
        assert reply.kind == "check", reply.text
        reply = press_label(conversation, reply, label, key)
    return reply
