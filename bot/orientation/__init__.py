"""The guided rights check ("À quoi j'ai droit ?"): a resident's answers in, rights worth checking out.

`profile` reads the answers, `rules` reads the mediators' rules
(`knowledge/orientation/regles.yaml`), `evaluate` lists the rights, most likely first.
The questions asked in the chat are `bot.conversation.orientation`.
"""

from bot.orientation.evaluate import Suggestion, evaluate
from bot.orientation.profile import Profile, ProfileError, parse_profile
from bot.orientation.rules import RULES_FILE, RuleSet, load_rules, read_rules

__all__ = [
    "RULES_FILE",
    "Profile",
    "ProfileError",
    "RuleSet",
    "Suggestion",
    "evaluate",
    "load_rules",
    "parse_profile",
    "read_rules",
]
