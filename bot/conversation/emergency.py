"""What a person in danger reads: the numbers that fit first, then only what fits.

The danger is recognised before anything else (bot.understanding.danger). The
reply starts with the first lines of that kind of danger, then the other
kinds' numbers in one line each; it continues with the one entry that matches
the danger (violences, hébergement d'urgence…) or with nothing. The resident's
other question is offered, as a button, only when the rest of the message
clearly asks one: never an unrelated right, never "je ne connais pas la
réponse", never "vous voulez parler de… ?" first.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.conversation.texts import (
    CRY_FOR_HELP,
    CRY_FOR_HELP_QUESTION,
    OTHER_QUESTION,
    OTHER_QUESTION_AGAIN,
    OTHER_QUESTION_BUTTON,
)
from bot.knowledge.engine import Snapshot
from bot.knowledge.model import DANGER_KINDS, KnowledgeBase
from bot.understanding.danger import Danger
from bot.understanding.normalize import fold

OTHER_NUMBERS = "Autres numéros gratuits :"
# The other question must be a real one: a right or a service, not "merci" or "bonjour".
OTHER_QUESTION_KINDS = frozenset({"right", "service"})
# "Clearly asks" means a clause of its own, which the matcher recognises with
# confidence: a doubtful guess next to emergency numbers would be an unrelated right.
MIN_OTHER_QUESTION_WORDS = 4
MIN_OTHER_QUESTION_SCORE = 70
# A clause that asks, which the matcher reads as a right or a service but without
# that confidence ("how can I find a job" in English): the question is asked, its
# entry is not sure. No entry is offered (it could be unrelated); the reply says
# to write it again in a message of its own, so the question is not silently lost.
MIN_UNSURE_OTHER_QUESTION_SCORE = 50
# ...and it must say that it asks, clearly: "j'ai 19 ans" or "depuis que j'ai perdu mon travail" tell
# the story of the danger; offering the Mission locale or unemployment next to the numbers would be
# an unrelated right. A clause asks when a question mark follows it, when it opens with a question
# word or a request (`ASKING_WORDS`, within its first `OPENING_WORDS` words once « et », « sinon »,
# « au fait »… are set aside), or when it holds a request anywhere (`REQUEST_WORDS`, `ASKING_PHRASES`).
# A question word inside a statement does not ask: « j'ai préparé comment je vais faire » tells a
# plan, « l'aide à domicile de l'APA ne vient que demain » names a help (an article before the word).
ASKING_WORDS = frozenset(
    """comment combien quand pourquoi quel quelle quels quelles qui quoi ou est-ce ai-je puis-je peut-on faut-il
    droit droits demander demande voudrais veux savoir cherche besoin aider aide peux pouvez peut possible
    how what when where which who why need help""".split()
)
REQUEST_WORDS = frozenset(
    """est-ce ai-je puis-je peut-on faut-il voudrais voudrait aimerais cherche besoin savoir pouvez pourriez
    renseigner""".split()
)
ASKING_PHRASES = (
    *("ou trouver", "ou aller", "ou est", "ou se trouve", "ou faire", "ou demander", "il faut"),
    *("sais pas", "sais plus", "comprends pas"),
    *("is there", "are there", "can i", "can we", "could i", "do i", "am i", "should i"),
)
OPENING_WORDS = 3
# Words that open a clause before what it asks: set aside to find its first words.
_OPENERS = frozenset("et mais sinon aussi puis alors bonjour svp stp also and but so au fait autre chose".split())
# An article or a possessive before a question word makes it a noun (« l'aide », « mon droit »).
_NOUN_MARKS = frozenset("l la le les un une des du son sa ses mon ma mes leur leurs the my his her".split())
# After an object pronoun, a verb of telling or showing makes the writer the one told, not the one acted on.
_TOLD = frozenset(
    """dit dire dis raconte explique parle ecrit demande appelle montre confie avoue signale previent prevenu
    envoye appris said told showed texted wrote asked""".split()
)
# « chez moi », « avec nous », « pour moi »: after a preposition the pronoun is no object of a verb.
_PREPOSITIONS = frozenset("chez avec pour a de sans comme que vers sur devant derriere with for to at from".split())
# What may stand between the pronoun and its verb: an elided object, an auxiliary (« me l'a dit »).
_BEFORE_THE_VERB = frozenset("l la le les a avait ont as has had".split())
# A short number as a phone number is written in a sentence ("le 17", "au 3919."),
# not a part of a date (15/03/2026), an hour (24 h/24), an amount or an age.
_SHORT_NUMBER = re.compile(r"(?<![\d/])\b(\d{2,4})\b(?![\d/]|\s?(?:€|%|euros?\b|h\b|ans\b|mois\b|jours?\b|heures?\b))")
# The danger kinds whose first lines are all the help there is now: nothing comes before the call.
CALL_IS_THE_CARE = frozenset({"medical"})
# A kind without a page of its own (enfant) that still continues with another kind's
# page when that other kind is found too and the writer is its target (violence).
WRITER_ALSO_TARGETED = {"enfant": "violence"}
# Object pronouns of the writer, folded (« m'a » folds to « m a »): French and English.
_WRITER_AS_OBJECT = frozenset({"me", "m", "moi", "nous", "myself"})
_PHONE = re.compile(r"\b0\d(?:[ .-]?\d{2}){4}\b")  # a full phone number: the line brings someone new
# Below this probability, an alert the danger model raises without an exact expression is not
# sure enough to replace what the matcher answers surely: the numbers still come first (the alert
# may be real), then the answer to the question asked rather than a danger page the message may
# not be about (« trois mois de loyer en retard, j'ai peur de me retrouver à la rue » continues with
# the prevention of evictions). Chosen on tuning sets only (bench/ask-tune.yaml, dev,
# safety-dev, bench/safety-continuations-tune.yaml): ordinary questions alerted at 0.69-0.70;
# the weakest real danger whose matcher answer is unrelated to it alerted at 0.77.
CONFIDENT_ALERT = 0.75


@dataclass(frozen=True)
class EmergencyPlan:
    """What an emergency reply is made of, decided once for every channel and for `ask --jsonl`."""

    kind: str  # the strongest danger
    kinds: tuple[str, ...]  # every danger found, strongest first
    entry_id: str | None  # the entry that fits the danger, if the base has it
    other_id: str | None  # the other question the message clearly asks, if any
    # The message asks another question about a right or a service that the matcher
    # could not recognise surely: the reply asks to write it again, alone.
    other_unsure: bool = False


def plan_emergency(snapshot: Snapshot, text: str) -> EmergencyPlan | None:
    """The emergency in `text`, or None when there is none."""
    found = snapshot.danger.detect(text)
    if found is None or snapshot.kb.dangers is None:
        return None
    entry_id = entry_that_fits(snapshot.kb, found, text)
    entry_id = asked_beside_a_weak_alert(snapshot, text, found, entry_id) or entry_id
    other_id, other_unsure = _other_question(snapshot, found, entry_id, text)
    return EmergencyPlan(found.kind, found.kinds, entry_id, other_id, other_unsure=other_unsure)


def entry_that_fits(kb: KnowledgeBase, found: Danger, text: str = "") -> str | None:
    """The entry of the strongest danger found, unless it may be a medical emergency that the model cannot rule out.

    When the model could not tell two kinds apart (a hurt child: enfant or
    medical; an overdose: medical or suicide), both kinds' numbers are shown.
    If one of them is a medical emergency (the call is the care), no page is
    put between the person and the call: a mental-health page under "he won't
    wake up" would be unrelated. Between two kinds that both have an entry,
    the strongest one's still follows.

    A child in danger has no page of its own after the 119 (the base has no
    child-protection entry): the conjugal-violence page speaks to an adult
    victim, so it follows only when the writer is hit too (`text`).
    """
    kinds = kb.dangers.kinds if kb.dangers is not None else {}
    if found.unsure and any(kind in CALL_IS_THE_CARE for kind in found.kinds):
        return None
    entry = kinds[found.kind].entry if found.kind in kinds else None
    also = WRITER_ALSO_TARGETED.get(found.kind)
    if entry is None and also in found.kinds and also in kinds and writer_is_a_target(text):
        entry = kinds[also].entry
    return entry if entry in kb.entries else None


def writer_is_a_target(text: str) -> bool:
    """Whether the message names its writer as the one acted on: an object pronoun (« il me frappe », « m'a giflée »).

    « mon compagnon touche ma fille quand je suis pas là » speaks of the child
    only (« je » is the subject); « il nous frappe, moi et les enfants » or
    « he hits me and the kids » speak of the writer too. A pronoun counts only
    as the object of a verb: not after a preposition (« chez moi »), not in
    « moi je » or « I'm », and not before a verb of telling or showing
    (« elle me l'a dit », « elle m'a montré »): the writer was told, not hit.
    """
    words = fold(text).split()
    for i, word in enumerate(words):
        before = words[i - 1] if i > 0 else ""
        if word not in _WRITER_AS_OBJECT or (word == "m" and before == "i"):  # « I'm »
            continue
        if before in _PREPOSITIONS or (word == "moi" and words[i + 1 : i + 2] in (["je"], ["j"])):  # « moi je »
            continue
        verb = i + 1
        while verb < len(words) and words[verb] in _BEFORE_THE_VERB:  # « me l'a dit », « m'avait raconté »
            verb += 1
        if verb >= len(words) or words[verb] not in _TOLD:  # « elle me l'a dit »: told, not acted on
            return True
    return False


def asked_beside_a_weak_alert(snapshot: Snapshot, text: str, found: Danger, entry_id: str | None) -> str | None:
    """The right or service the message surely asks, when the alert is too weak to put its own page first.

    Only for a danger whose kind continues with a page: a medical emergency
    continues with nothing but the call, whatever else the message asks.
    """
    if entry_id is None or found.by_expression or found.score >= CONFIDENT_ALERT:
        return None
    match = snapshot.matcher.match(text)
    if match.entry_id is None or match.score < MIN_OTHER_QUESTION_SCORE:
        return None
    return match.entry_id if _may_follow(snapshot, match.entry_id, entry_id) else None


def _other_question(snapshot: Snapshot, found: Danger, entry_id: str | None, text: str) -> tuple[str | None, bool]:
    """The entry that a non-danger clause of the message clearly asks about, if it is a right or a service.

    Each clause is read on its own: the clause that asks must also name what
    it asks about. "je n'ai nulle part où dormir, je touche le RSA, vous
    pouvez m'aider ?" asks for help with the danger; read together, the story
    clause and the request would offer the RSA next to the 115.

    Second: whether, with no entry clearly asked, a clause still asks about a
    right or a service that the matcher only half recognises: then no entry
    is offered, but the person is told to ask it again on its own.
    """
    found_questions: list[tuple[float, str]] = []
    unsure = False
    follow_up = follow_up_words(snapshot.kb, found.kinds)
    for clause in found.ordinary_clauses:
        if len(clause.split()) < MIN_OTHER_QUESTION_WORDS or not asks_something(
            clause, question_mark_after(text, clause)
        ):
            continue
        if asks_about_the_danger(clause, follow_up):
            continue
        match = snapshot.matcher.match(clause)
        other = match.entry_id
        if other is None and match.hesitates and match.best_guess is not None:
            # A close call between two entries (the matcher offers both): still a question about a right.
            unsure = unsure or (
                _may_follow(snapshot, match.best_guess, entry_id) and match.score >= MIN_UNSURE_OTHER_QUESTION_SCORE
            )
            continue
        if not other or not _may_follow(snapshot, other, entry_id):
            continue
        if match.score >= MIN_OTHER_QUESTION_SCORE and named_by_its_content(snapshot, clause, other):
            found_questions.append((match.score, other))
        elif match.score >= MIN_UNSURE_OTHER_QUESTION_SCORE:  # also a confident reading its content denies
            unsure = True
    if not found_questions:
        return None, unsure
    # The clearest question wins; on a tie, the first asked.
    return max(found_questions, key=lambda question: question[0])[1], False


def without_asking_words(clause: str) -> str:
    """The clause minus its question words and requests: what it asks about, only."""
    padded = f" {' '.join(fold(clause).split())} "
    for phrase in ASKING_PHRASES:
        padded = padded.replace(f" {phrase} ", " ")
    return " ".join(word for word in padded.split() if word not in ASKING_WORDS)


def named_by_its_content(snapshot: Snapshot, clause: str, other: str) -> bool:
    """Whether the clause's own content words, the question frame removed, name the same entry confidently.

    "je voudrais savoir si j'ai droit aux allocations familiales" reads as the
    simulateur through its frame ("ai-je droit"), while its content names the
    family benefits; "personne m'aide pour le dossier de retraite" reads as the
    APA, its content as the ASPA. When frame and content disagree the entry is
    a guess, and a guess next to emergency numbers may be an unrelated right.
    """
    match = snapshot.matcher.match(without_asking_words(clause))
    return match.entry_id == other and match.score >= MIN_OTHER_QUESTION_SCORE


def _may_follow(snapshot: Snapshot, other: str, entry_id: str | None) -> bool:
    """An other question is a right or a service, and neither the danger's entry nor another danger's."""
    dangers = snapshot.kb.dangers
    if other == entry_id or (dangers is not None and other in dangers.entries):
        return False
    entry = snapshot.kb.entries.get(other)
    return entry is not None and entry.kind in OTHER_QUESTION_KINDS


def other_question_text(title: str | None) -> str:
    """The line that tells the person where the answer to their other question is (or how to get it)."""
    if title is None:
        return OTHER_QUESTION_AGAIN
    return OTHER_QUESTION.format(title=title)


def other_question_button_label(title: str) -> str:
    """The button that opens the other question's answer: its title, marked as the answer."""
    return OTHER_QUESTION_BUTTON + title[: 40 - len(OTHER_QUESTION_BUTTON)]


def follow_up_words(kb: KnowledgeBase, kinds: Iterable[str]) -> tuple[str, ...]:
    """The words of the dangers found that ask about their own help (`mots_lies`), folded."""
    dangers = kb.dangers
    if dangers is None:
        return ()
    return tuple(fold(word) for kind in kinds if kind in dangers.kinds for word in dangers.kinds[kind].follow_up)


def asks_about_the_danger(clause: str, follow_up: Iterable[str]) -> bool:
    """Whether a question is about the danger's own help, not another need.

    After "on m'a frappée", "je peux aller à l'hôpital ?" asks what to do about
    the beating: the matcher reads "hôpital" as the AME, a right for people
    without papers, which would be unrelated next to the numbers. A social
    worker answers it with the danger's own help, which the reply already
    gives. A word counts in the singular or the plural ("urgence", "urgences").
    """
    padded = f" {' '.join(fold(clause).split())} "
    return any(f" {word} " in padded or f" {word}s " in padded or f" {word}x " in padded for word in follow_up if word)


def asks_something(clause: str, marked: bool = False) -> bool:
    """Whether the clause clearly asks for something, rather than only telling (`marked`: a « ? » follows it)."""
    words = fold(clause).split()
    if not words:
        return False
    if marked:
        return True
    joined = set(words) | {f"{a}-{b}" for a, b in itertools.pairwise(words)}  # "est-ce", "ai-je"…
    padded = f" {' '.join(words)} "
    if joined & REQUEST_WORDS or any(f" {phrase} " in padded for phrase in ASKING_PHRASES):
        return True
    start = 0
    while start < len(words) and words[start] in _OPENERS:
        start += 1
    for i in range(start, min(start + OPENING_WORDS, len(words))):
        pair = f"{words[i]}-{words[i + 1]}" if i + 1 < len(words) else ""
        if (words[i] in ASKING_WORDS or pair in ASKING_WORDS) and (i == start or words[i - 1] not in _NOUN_MARKS):
            return True
    return False


def question_mark_after(text: str, clause: str) -> bool:
    """Whether a « ? » follows this clause in the message (clauses are cut without their punctuation)."""
    at = text.find(clause)
    if at < 0:
        return False
    rest = text[at + len(clause) :].lstrip(" \t\"'»)")
    return rest.startswith("?")


def emergency_text(kb: KnowledgeBase, plan: EmergencyPlan) -> str:
    """The first lines: the numbers of the danger found, then every other danger's numbers, briefly."""
    dangers = kb.dangers
    if dangers is None:  # the engine never serves such a base; say the essential anyway
        return "En danger maintenant : appelez le 17 ou le 112. Vous ne pouvez pas parler : SMS au 114."
    first = [dangers.kinds[k].message.strip() for k in plan.kinds if k in dangers.kinds]
    others = [dangers.kinds[k].brief for k in DANGER_KINDS if k in dangers.kinds and k not in plan.kinds]
    lines = ["\n".join(first)]
    if others:
        lines.append(OTHER_NUMBERS + "\n" + "\n".join(f"• {brief}" for brief in others))
    return "\n".join(lines)


def cry_for_help_text(kb: KnowledgeBase) -> str:
    """The reply to a bare cry for help: every kind's numbers in one line each, then what is happening?

    No kind of danger is known, so none comes first; the question lets the
    next message name it (and get its own first lines).
    """
    dangers = kb.dangers
    briefs = [dangers.kinds[k].brief for k in DANGER_KINDS if k in dangers.kinds] if dangers is not None else []
    if not briefs:  # the engine never serves such a base; say the essential anyway
        briefs = ["En danger maintenant : 17 ou 112, SMS au 114."]
    return "\n".join([CRY_FOR_HELP, *(f"• {brief}" for brief in briefs), "", CRY_FOR_HELP_QUESTION])


def without_repeated_numbers(answer: str, shown: str, numbers: Iterable[str]) -> str:
    """The entry's answer minus its lines that only repeat emergency numbers the person has just read.

    The entry that follows the numbers (violences, hébergement d'urgence…) is
    written to be read on its own, so it starts with the same numbers: read
    right after them, the same "appelez le 17" twice is noise for someone in
    danger. A line is dropped only when every emergency number in it was
    already shown and it gives no other phone number; anything else it says
    is kept where it is, and so is the first line, the entry's title.
    """
    emergency = set(numbers)
    already = set(_SHORT_NUMBER.findall(shown)) & emergency
    title, *lines = answer.split("\n")
    kept = [title, *(line for line in lines if not _only_repeats(line, emergency, already))]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _only_repeats(line: str, emergency: set[str], already: set[str]) -> bool:
    if _PHONE.search(line):
        return False
    found = set(_SHORT_NUMBER.findall(line)) & emergency
    return bool(found) and found <= already


def emergency_numbers(kb: KnowledgeBase) -> set[str]:
    """Every number the danger files give."""
    if kb.dangers is None:
        return set()
    return {number for kind in kb.dangers.kinds.values() for number, _name in kind.numbers}
