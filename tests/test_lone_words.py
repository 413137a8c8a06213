"""One word alone: answered only when it names an entry, whatever the learned model's confidence.

Made-up bases built on the fixture (`kb_dir`), so the rules are checked on
their own terms and not on how many phrasings the shipped base happens to
hold: « aide » is a word of most rights' texts and a whole phrasing of one
simulator; « stop » is said alone by an intent that also has many sentences.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml

from bot.knowledge.engine import Engine
from bot.understanding.matcher import Matcher, Settings

SIMULATOR = """\
id: simulateur
titre: Simuler toutes mes aides
formulations:
  - aide
  - mes aides
  - quelles aides pour moi
  - à quelles aides j'ai droit
  - simuler mes aides
  - calculer toutes mes aides
  - estimer mes aides en ligne
  - la liste des aides possibles
  - faire le point sur mes aides
  - un simulateur des aides
mots_cles: [simulateur]
reponse: Le simulateur calcule en quelques minutes les aides possibles.
source: https://example.org/simulateur
verifie_le: 2026-12-01
"""

# A second word of "aide" in the texts of most rights: the word then names none of them on its own.
MORE_AIDE = {
    "droits/rsa.yaml": "une aide pour vivre quand on n'a rien",
    "services/caf.yaml": "une aide de la caf",
    "services/cpam.yaml": "aide pour ma carte vitale",
}

STOP = """\
id: arreter
titre: Arrêter la conversation
formulations:
  - stop
  - arrêter
  - je veux arrêter de parler avec le bot
  - arrêter la conversation maintenant
  - stop je ne veux plus de messages
  - ne plus recevoir vos messages
  - je voudrais que la discussion s'arrête
  - laissez moi tranquille maintenant
  - fin de la discussion
  - on arrête là pour aujourd'hui
reponse: D'accord, j'arrête. Vous pouvez revenir quand vous voulez.
source: interne
verifie_le: 2026-12-01
"""


def _add_phrasing(path: Path, phrasing: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["formulations"].append(phrasing)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _with_simulator(kb_dir: Path, *, shared: bool) -> Matcher:
    (kb_dir / "droits" / "simulateur.yaml").write_text(SIMULATOR, encoding="utf-8")
    if shared:
        for name, phrasing in MORE_AIDE.items():
            _add_phrasing(kb_dir / name, phrasing)
    return Engine.load(kb_dir).current.matcher


def test_a_word_most_rights_share_gets_buttons_even_as_a_whole_phrasing_the_model_is_sure_of(kb_dir):
    matcher = _with_simulator(kb_dir, shared=True)
    match = matcher.match("aide")
    assert match.ranking[0][0] == "simulateur"  # the model alone would answer the simulator
    assert match.entry_id is None
    assert match.suggestions[0] == "simulateur"  # its own entry first, one tap away


def test_it_is_the_shared_word_rule_that_holds_the_answer_back(kb_dir):
    matcher = _with_simulator(kb_dir, shared=True)
    matcher.settings = dataclasses.replace(Settings(), shared_word_share=1.01)  # no word is ever that shared
    assert matcher.match("aide").entry_id == "simulateur"


def test_a_whole_phrasing_few_rights_share_is_still_answered(kb_dir):
    matcher = _with_simulator(kb_dir, shared=False)  # "aide" only in the simulator and one phrasing of the CSS
    assert matcher.match("aide").entry_id == "simulateur"
    assert matcher.match("simulateur").entry_id == "simulateur"


def test_the_lexical_matcher_alone_holds_a_shared_word_back_too(kb_dir):
    _with_simulator(kb_dir, shared=True)
    match = Engine.load(kb_dir, learn=False).current.matcher.match("aide")
    assert match.entry_id is None and match.suggestions[0] == "simulateur"


def test_a_greeting_or_thanks_around_a_shared_word_is_still_the_message(kb_dir):
    matcher = _with_simulator(kb_dir, shared=True)
    assert matcher.match("bonjour").entry_id == "salutation"
    assert matcher.match("rsa").entry_id == "rsa"


def _with_stop(kb_dir: Path) -> Matcher:
    (kb_dir / "intentions" / "arreter.yaml").write_text(STOP, encoding="utf-8")
    return Engine.load(kb_dir).current.matcher


def test_stop_alone_is_answered_though_most_of_its_phrasings_are_sentences(kb_dir):
    matcher = _with_stop(kb_dir)
    lengths = [len(p.split()) for p in matcher.kb.phrasings_of("arreter")]
    assert sorted(lengths)[len(lengths) // 2] > 1  # most phrasings of the intent are not one word
    for message in ("stop", "STOP !", "arrêter", "stop merci"):
        assert matcher.match(message).entry_id == "arreter", message


def test_a_request_that_only_shares_the_stop_word_is_not_the_intent(kb_dir):
    matcher = _with_stop(kb_dir)
    for message in ("je voudrais arrêter de fumer", "arrêter la cigarette aide", "stop tabac"):
        match = matcher.match(message)
        assert match.entry_id != "arreter", message
        assert "arreter" not in match.suggestions, message


def test_an_intent_told_in_its_own_sentence_is_still_answered(kb_dir):
    matcher = _with_stop(kb_dir)
    assert matcher.match("je veux arrêter de parler avec le bot").entry_id == "arreter"
