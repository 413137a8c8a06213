"""Remove what identifies a resident from a question before anything is written.

Residents paste their whole life into a chat: phone numbers, social-security
numbers, CAF file numbers, their address, their name. The laboratoire only
needs the *need*, so every text goes through `redact` before it reaches the
database, a log line or a report. Each finding is replaced by a French tag
such as ``[téléphone]`` so the sentence still reads naturally.

Rules are ordered from the most specific (an IBAN contains digit runs, a NIR
looks like a long number) to the most general (any run of six digits or
more). When in doubt we over-redact: losing "120 000" from a question costs
little, leaking a file number costs a lot. What must survive is ordinary
content: "j'ai 2 enfants", "115", "3919", "depuis 6 mois", "T2", "en 2025".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.storage.bare_names import NOT_A_FUNCTION
from bot.storage.bare_names import PATTERNS as BARE_NAME_PATTERNS
from bot.storage.ordinary_words import ORDINARY_WORD

PHONE = "[téléphone]"
EMAIL = "[e-mail]"
NIR = "[numéro de sécurité sociale]"
IBAN = "[IBAN]"
NUMBER = "[numéro]"
ADDRESS = "[adresse]"
NAME = "[nom]"
BIRTH_DATE = "[date de naissance]"

TAGS = (PHONE, EMAIL, NIR, IBAN, NUMBER, ADDRESS, NAME, BIRTH_DATE)

_BLANKS = re.compile(r"\s+")
_SEP = r"[ \t.\-/]?"  # what people put between digit groups
_APOS = r"['’ʼ`]"  # straight, typographic and other apostrophes phones produce


@dataclass(frozen=True)
class _Rule:
    """One kind of personal data: a pattern, and what replaces a match.

    `spares_places`: the match's `name` group may be a place ("c'est Bellevue"),
    kept when it is one of the places the knowledge base knows.
    """

    name: str
    pattern: re.Pattern[str]
    replace: Callable[[re.Match[str]], str]
    spares_places: bool = False


def _tag(tag: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: tag


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


# --------------------------------------------------------------------------- patterns

# The domain's dot is optional: residents type "jean_d@orange" or "karim@gmail" without ".fr".
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*", re.UNICODE)
# An address dictated or typed without the "@" key: "jean point dupont arobase gmail point com".
# Bounded repetitions: "point point point…" without an « arobase » must not make it backtrack for seconds.
_EMAIL_SPELT = re.compile(
    r"(?:[\w\-]{1,40} (?:point|tiret|underscore|tiret du bas) ){0,4}[\w.+\-]{1,64} ?\b(?:arr?obase?s?|arobaz)\b"
    r" ?[\w\-]{1,64}(?: ?(?:\bpoint\b|\.) ?[\w\-]{1,64}){0,4}",
    re.UNICODE | re.IGNORECASE,
)

# An address disguised against spam, as people copy it from a forum: "jean(at)gmail.com",
# "jean [at] gmail [dot] com", "jean at gmail dot com" (the bare « at » needs a « dot » after it).
_EMAIL_DISGUISED = re.compile(
    r"[\w.+\-]{1,64} ?[(\[{] ?at ?[)\]}] ?[\w\-]{1,64}(?: ?(?:\.|[(\[{] ?dot ?[)\]}]|\bdot\b) ?[\w\-]{1,64}){0,4}"
    r"|[\w.+\-]{1,64} at [\w\-]{1,64}(?: dot [\w\-]{1,64}){1,4}\b",
    re.IGNORECASE,
)

# FR76 3000 6000 0112 3456 7890 189 — country code, check digits, then groups.
# Every group holds a digit, so the words after the number ("… 189 la caf") are not taken for groups.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \-]?(?=[A-Z]{0,3}\d)[A-Z0-9]{2,4}){3,8}\b", re.IGNORECASE)

# NIR: sex (1/2, 3/4/7/8 for provisional numbers), year, month, department
# (2A/2B for Corsica), commune, order, optional 2-digit key.
_NIR = re.compile(
    r"(?<![\w])[1-478]"
    + _SEP
    + r"\d{2}"
    + _SEP
    + r"(?:0[1-9]|1[0-2]|[2-9]\d)"
    + _SEP
    + r"(?:\d{2}|2[ABab])"
    + _SEP
    + r"\d{3}"
    + _SEP
    + r"\d{3}(?:"
    + _SEP
    + r"\d{2})?(?![\w])"
)

# French numbers: 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033 (0)6...
_PHONE_FR = re.compile(r"(?<![\w+])(?:(?:\+|00)[ ]?33[ .\-]?(?:\(0\)[ ]?)?|0)[1-9](?:[ .\-]?\d{2}){4}(?!\d)")
# Any other international number: +44 20 7946 0958, 0049 30 1234567.
# Groups of one digit too ("+212 6 12 34 56 78"); `_intl_phone` wants 8 digits or more.
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[ .\-]?\d{1,4}){2,7}(?!\d)")

# Card and bank account numbers written in groups: 4970 1012 3456 7890.
_CARD = re.compile(r"(?<!\d)\d{4}(?:[ \-]\d{4}){2,4}(?:[ \-]\d{1,4})?(?!\d)")

# "numéro allocataire : 123 4567", "dossier n° 2024-0012", "réf AB12345", "passeport n° 12AB34567" (letters inside).
_LABELLED_NUMBER = re.compile(
    r"\b(?P<label>(?:(?:num[ée]ro|num|no|dossier|allocataire|matricule|identifiant|id|r[ée]f[ée]rence|r[ée]f"
    r"|client|contrat|adh[ée]rent|fiscal|s[ée]cu|badge|passeport)\b|n°)\.?)"
    r"(?P<glue>(?:\s+(?:d['’]|de|du|la|le|mon|ma|est|c['’]est|:|=|n°|allocataire|dossier|fiscal|client))*\s*[:=#]?\s*)"
    r"(?P<value>(?:[A-Za-z]{1,3}[ \-]?)?\d+(?:[A-Za-z]{1,3}\d+)?(?:[ \-./]\d+)*[A-Za-z]?)\b",
    re.IGNORECASE,
)

# A birth date is a quasi-identifier: with the quartier, it singles someone out.
_BIRTH_DATE = re.compile(
    r"\b(?P<label>n[ée]e?\s+le|date\s+de\s+naissance\s*:?)\s*"
    r"(?P<value>\d{1,2}(?:er)?[ ./\-]+(?:\d{1,2}|[a-zéû]{3,9})[ ./\-]+\d{2,4})",
    re.IGNORECASE,
)

# Six digits and more, with the letters glued to them ("1234567A", "AB123456").
_LONG_DIGITS = re.compile(r"(?<!\d)(?:\b[A-Za-z]{1,3})?\d{6,}(?:[A-Za-z]{1,3}\b)?(?!\d)")
# Digit groups separated by spaces or dots that add up to a long number
# (8 digits and more, in 3 groups or more): "12 34 56 78", "123.456.789".
_SPACED_DIGITS = re.compile(r"(?<![\d,])\d{1,4}(?:[ .]\d{1,4}){2,}(?![\d,])")

# Street types that are never ordinary words after a number.
_STREET_TYPES = (
    r"rue|avenue|av|bd|boul|boulevard|impasse|imp|all[ée]e|quai|r[ée]sidence|r[ée]s|lotissement"
    r"|square|sq|esplanade|venelle|hameau|rond[- ]point|chauss[ée]e|faubourg|fg|parvis|sentier|ruelle"
)
# Street types that are also everyday words ("2 cours de français",
# "3 places en crèche"): only an address when a capitalised name follows.
_AMBIGUOUS_STREET_TYPES = r"cours|place|pl|route|rte|chemin|passage|voie|promenade|villa|clos|parc|port|cit[ée]|lot"
_PARTICLES = r"(?:(?:de|du|des|de\s+la|d['’]|l['’]|la|le|les|saint|ste?|st)\s*)*"
_STOP_WORDS = (
    "a",
    "à",
    "au",
    "aux",
    "et",
    "je",
    "j",
    "jai",
    "j'ai",
    "depuis",
    "mais",
    "car",
    "pour",
    "avec",
    "sur",
    "dans",
    "on",
    "il",
    "elle",
    "nous",
    "vous",
    "ils",
    "elles",
    "qui",
    "que",
    "quand",
    "donc",
    "ou",
    "où",
    "mon",
    "ma",
    "mes",
    "est",
    "sont",
    "suis",
    "ai",
    "a",
    "chez",
    "svp",
    "stp",
    "merci",
    "bonjour",
    "comment",
    "pourquoi",
    "si",
    "parce",
    "ca",
    "ça",
    "cest",
    "c'est",
    "y",
    "en",
    "pas",
    "ne",
    "plus",
    "brest",
    "tel",
    "tél",
    "téléphone",
    "telephone",
    "mais",
    "puis",
    "alors",
    "aussi",
    "avoir",
    "faire",
    "ya",
    "il y a",
)
_STOP = r"(?!(?:" + "|".join(re.escape(w) for w in sorted(set(_STOP_WORDS), key=len, reverse=True)) + r")\b)"
_NAME_WORD = r"[^\W\d_][\w'’\-]*"
_CAP_WORD = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
# A name as people write it: capital then lowercase, so "RSA" or "CAF" are not names.
_NAME_CAP_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ][\w'’\-]*"
_NUMBER_PREFIX = r"(?<![\w,.])\d{1,4}\s*(?:bis|ter|quater|[abc])?\b\s*,?\s*"

_ADDRESS = re.compile(
    _NUMBER_PREFIX + r"(?:" + _STREET_TYPES + r")\.?(?:\s+" + _PARTICLES + _STOP + _NAME_WORD + r"){1,4}",
    re.IGNORECASE,
)
_ADDRESS_AMBIGUOUS = re.compile(
    _NUMBER_PREFIX
    + r"(?i:"
    + _AMBIGUOUS_STREET_TYPES
    + r")\.?\s+(?i:"
    + _PARTICLES
    + r")"
    + _CAP_WORD
    + r"(?:\s+(?i:"
    + _PARTICLES
    + r")"
    + _STOP
    + _NAME_WORD
    + r"){0,3}",
)
# "appartement 52", "bâtiment C", "escalier 3" — but not "un appart 3 pièces".
_DWELLING = re.compile(
    r"\b(?:appartement|appart|appt|apt|b[âa]timent|bât|escalier|esc|bo[iî]te\s+aux\s+lettres)\.?\s*"
    r"(?:n°|no|num[ée]ro)?\s*(?!(?-i:[TF]\d\b))(?-i:\d{1,4}[A-Z]?|[A-Z]\d{0,3})\b"
    r"(?!\s*(?:pi[eè]ces?|p\b|chambres?|m2|m²|mètres|metres))",
    re.IGNORECASE,
)

# A word that goes on with the message (« urgent », « Rsa ») is no second name word.
_NOT_ORDINARY = r"(?!(?i:" + ORDINARY_WORD + r"))"
# A surname's particles, followed by a space or glued by an apostrophe (« le gall », « de la fontaine », « d'arvor »).
_SURNAME_PARTICLES = (
    r"(?:de\s+la|van\s+de[nr]?|le|la|de|du|des|van|von|ben|bin|el|al)\s+|(?:de\s+l|d|l)" + _APOS + r"\s*"
)
_NOT_PARTICLE = r"(?!(?:le|la|de|du|des|van|von|ben|bin|el|al)\b)"

# Names after an introduction. "moi c'est" and "je suis" are everyday phrases
# ("moi c'est pour le RSA"), so they need a capitalised word or a title.
# Typed fast, "je m'apelle" loses a "p" and "c'est" its apostrophe: both still count.
# "m'appelle" alone counts too: "ma voisine m'appelle Mohamed" names someone as well.
_NAME_INTRO = re.compile(
    r"\b(?P<intro>(?:je\s+|j\s*" + _APOS + r"?\s*)?m\s*" + _APOS + r"?\s*ap+el+e?s?"
    r"|mon\s+(?:nom|pr[ée]nom)(?:\s+de\s+famille)?\s+(?:est|c\s*" + _APOS + r"?\s*est|:)"
    r"|nom\s+de\s+famille\s*:?|je\s+me\s+nomme|(?:je\s+suis|c\s*"
    + _APOS
    + r"\s*est)\s+(?:madame|monsieur|mme|mr|m\.|mlle|mademoiselle))"
    # The first word is a name whatever it says (« je m'appelle Rose »); the next ones only when they do
    # not go on with the message (« je m'appelle Fatima urgent svp » keeps « urgent »).
    # A particle belongs to the surname after it (« jean de la fontaine »), never alone at the end.
    r"(?P<name>\s+"
    + _STOP
    + _NAME_WORD
    + r"(?:\s+(?:"
    + _SURNAME_PARTICLES
    + r")?"
    + _STOP
    + _NOT_PARTICLE
    + _NOT_ORDINARY
    + _NAME_WORD
    + r"){0,2})",
    re.IGNORECASE,
)
# A close one named: "mon voisin Jean Dupont", "ma fille Inès", "le propriétaire M. X" (the title rule).
# Only capitalised words: "ma fille Inès" loses Inès, "ma fille a 3 ans" stays.
_RELATIVE_NAMED = re.compile(
    r"\b(?P<intro>(?i:(?:mon|ma|mes|notre|nos|son|sa|ses|le|la|les|my|our)\s+(?:voisine?s?|mari|femme|[ée]pouse"
    r"|conjointe?|compagnon|compagne|copain|copine|ami|amie|amis|fils|fille|filles|enfants?|b[ée]b[ée]|fr[èe]re"
    r"|s[œo]eur|m[èe]re|p[èe]re|maman|papa|tante|oncle|cousine?|neveu|ni[èe]ce|grand-m[èe]re|grand-p[èe]re"
    r"|ex|patron(?:ne)?|propri[ée]taire|neighbou?r|husband|wife|son|daughter|friend|landlord)))"
    # A title is no name: « ma voisine Mme Kerbrat » keeps « Mme » (the title rule took the surname).
    r"(?P<name>(?:\s+(?!(?:Madame|Monsieur|Mme|Mlle|Mademoiselle)\b)" + _NAME_CAP_WORD + r"){1,3})"
)
# English introductions, for residents who write in English: "my name is John", "I'm Sarah Connor".
_NAME_INTRO_ENGLISH = re.compile(
    r"\b(?P<intro>(?i:my\s+(?:first\s+|last\s+|family\s+)?name\s+is|call\s+me))"
    r"(?P<name>(?:\s+" + _STOP + _NAME_WORD + r"){1,3})"
    r"|\b(?P<intro2>(?i:i\s+am|i\s*" + _APOS + r"?\s*m|this\s+is))(?P<name2>(?:\s+" + _NAME_CAP_WORD + r"){1,3})"
)
# « Moi C'est Fatima Urgent » (a phone capitalising every word): « Urgent » goes on with the message.
_NAME_INTRO_CAPITALISED = re.compile(
    r"\b(?P<intro>(?i:(?:moi\s+)?c\s*" + _APOS + r"?\s*est|sign[ée]\s*:?|cordialement\s*,?))"
    r"(?P<name>\s+" + _NAME_CAP_WORD + r"(?:\s+" + _NOT_ORDINARY + _NAME_CAP_WORD + r"){0,2})"
)
# "pour Mme Kerhervé", "M. Le Goff": a title and a capitalised word is a name ("Monsieur Le Maire" is none).
_TITLED_NAME = re.compile(
    r"\b(?P<intro>(?i:madame|monsieur|mme|mlle|mademoiselle|mr|m\.))"
    r"(?P<name>(?:\s+" + NOT_A_FUNCTION + r"(?:(?:Le|La|De|Du|Des|Van|Ben|El|Al)\s+)?" + _NAME_CAP_WORD + r"){1,3})"
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z]\w{2,}")


def _iban(match: re.Match[str]) -> str:
    text = match.group(0)
    alnum = sum(ch.isalnum() for ch in text)
    return IBAN if alnum >= 14 and _digits(text) >= 10 else text


def _intl_phone(match: re.Match[str]) -> str:
    return PHONE if _digits(match.group(0)) >= 8 else match.group(0)


def _card(match: re.Match[str]) -> str:
    return NUMBER if _digits(match.group(0)) >= 12 else match.group(0)


def _labelled(match: re.Match[str]) -> str:
    value = match.group("value")
    # Four digits alone are a year or a helpline ("3919"); a file number is longer.
    if _digits(value) < 5 and not (_digits(value) >= 4 and not value.isdigit()):
        return match.group(0)
    return match.group("label") + match.group("glue") + NUMBER


def _birth(match: re.Match[str]) -> str:
    return match.group("label") + " " + BIRTH_DATE


_DOTTED_DATE = re.compile(r"\d{1,2}[ .]\d{1,2}[ .]\d{4}")


def _spaced(match: re.Match[str]) -> str:
    text = match.group(0)
    if _digits(text) < 8 or _DOTTED_DATE.fullmatch(text):
        return text
    return NUMBER


def _name(match: re.Match[str]) -> str:
    return match.group("intro") + " " + NAME


def _english_name(match: re.Match[str]) -> str:
    return (match.group("intro") or match.group("intro2")) + " " + NAME


_RULES: tuple[_Rule, ...] = (
    _Rule("e-mail", _EMAIL, _tag(EMAIL)),
    _Rule("e-mail-spelt", _EMAIL_SPELT, _tag(EMAIL)),
    _Rule("e-mail-disguised", _EMAIL_DISGUISED, _tag(EMAIL)),
    _Rule("iban", _IBAN, _iban),
    _Rule("nir", _NIR, _tag(NIR)),
    _Rule("phone", _PHONE_FR, _tag(PHONE)),
    _Rule("phone-intl", _PHONE_INTL, _intl_phone),
    _Rule("card", _CARD, _card),
    _Rule("birth-date", _BIRTH_DATE, _birth),
    _Rule("labelled-number", _LABELLED_NUMBER, _labelled),
    _Rule("address", _ADDRESS, _tag(ADDRESS)),
    _Rule("address-ambiguous", _ADDRESS_AMBIGUOUS, _tag(ADDRESS)),
    _Rule("dwelling", _DWELLING, _tag(ADDRESS)),
    _Rule("long-digits", _LONG_DIGITS, _tag(NUMBER)),
    _Rule("spaced-digits", _SPACED_DIGITS, _spaced),
    _Rule("name", _NAME_INTRO, _name),
    _Rule("name-capitalised", _NAME_INTRO_CAPITALISED, _name, spares_places=True),
    _Rule("titled-name", _TITLED_NAME, _name),
    _Rule("relative-named", _RELATIVE_NAMED, _name, spares_places=True),
    _Rule("name-english", _NAME_INTRO_ENGLISH, _english_name),
    # After the textbook introductions: what they left, typed fast (« moi c Jordan », « mme kerbrat »).
    *(_Rule(name, pattern, _name, spares_places=True) for name, pattern in BARE_NAME_PATTERNS),
    _Rule("handle", _HANDLE, _tag(NAME)),
)


def redact(text: str | None, places: frozenset[str] = frozenset()) -> str:
    """Replace personal data in `text` by tags; safe to call twice (idempotent).

    `places`: folded names of places (`QuartierNames.place_names`) that are
    public words, never a person: "c'est Pontanézen" keeps its quartier.
    Returns "" for None so callers can redact optional fields without a check.
    """
    return redact_with_fragments(text, places)[0]


def redact_with_fragments(text: str | None, places: frozenset[str] = frozenset()) -> tuple[str, list[tuple[str, str]]]:
    """`redact`, plus (removed fragment, tag) pairs (kept only in memory, never written).

    The fragments let `redact_normalized` remove the same data from the
    matcher's folded text, where an e-mail has lost its "@" and a name its
    capital letter and the patterns above no longer see them.
    """
    if not text:
        return "", []
    # One space between words: the patterns allow optional spaces in many
    # places, and long runs of blanks would make them backtrack for seconds.
    text = _BLANKS.sub(" ", text).strip()
    fragments: list[tuple[str, str]] = []
    for rule in _RULES:
        replace = _sparing_places(rule.replace, places) if rule.spares_places and places else rule.replace
        text = rule.pattern.sub(_collecting(replace, fragments), text)
    return text, fragments


def _sparing_places(replace: Callable[[re.Match[str]], str], places: frozenset[str]) -> Callable[[re.Match[str]], str]:
    """Keep the place names a name match starts with; the words after them are still a name.

    A place after the name is not kept (« Yann de Kergoat »): several places of the base are
    Breton surnames too (Kergoat, Bergot, Langevin), and a surname must never get through.
    """
    from bot.understanding.normalize import fold  # local: redaction must stay importable on its own

    def wrapper(match: re.Match[str]) -> str:
        words = match.group("name").split()
        kept = 0
        while kept < len(words):
            size = next(
                (n for n in range(len(words) - kept, 0, -1) if fold(" ".join(words[kept : kept + n])) in places), 0
            )
            if not size:
                break
            kept += size
        if kept == 0:
            return replace(match)
        if kept == len(words):
            return match.group(0)
        return f"{match.group('intro')} {' '.join(words[:kept])} {NAME}"

    return wrapper


def _collecting(
    replace: Callable[[re.Match[str]], str], fragments: list[tuple[str, str]]
) -> Callable[[re.Match[str]], str]:
    """Wrap a replacement so that what it removed (after any kept label) is recorded."""

    def wrapper(match: re.Match[str]) -> str:
        original = match.group(0)
        replacement = replace(match)
        if replacement != original:
            kept = 0
            while kept < min(len(original), len(replacement)) and original[kept] == replacement[kept]:
                kept += 1
            fragments.append((original[kept:], replacement[kept:]))
        return replacement

    return wrapper


# Words that appear inside removed addresses or labels but say nothing about anyone.
_COMMON_WORDS = frozenset(
    "de du des la le les d l rue avenue av bd boulevard bis ter place cours route chemin impasse allee "
    "quai residence square au aux et a n no numero".split()
)


def redact_normalized(question: str, normalized: str | None, places: frozenset[str] = frozenset()) -> str:
    """Redact the matcher's normalised text using what was found in the raw question.

    Normalisation strips "@", dots and capitals, so patterns alone would let
    "marie dupont example org" through. We remove, from the normalised text,
    every folded fragment that `redact` removed from the question, then
    redact what is left (digits survive folding, so phone numbers are caught).
    """
    from bot.understanding.normalize import fold  # local: redaction must stay importable on its own

    _, fragments = redact_with_fragments(question, places)
    words = fold(normalized or "").split()
    banned: set[str] = set()
    for fragment, tag in fragments:
        folded = fold(fragment).split()
        words = _replace_sequence(words, folded, tag)
        banned.update(w for w in folded if w not in _COMMON_WORDS)
    words = [w for w in words if w not in banned]
    return redact(" ".join(words), places)


def _replace_sequence(words: list[str], sequence: list[str], tag: str) -> list[str]:
    """`words` with every run equal to `sequence` replaced by the single word `tag`."""
    if not sequence:
        return words
    out: list[str] = []
    i = 0
    size = len(sequence)
    while i < len(words):
        if words[i : i + size] == sequence:
            out.append(tag)
            i += size
        else:
            out.append(words[i])
            i += 1
    return out


def contains_tag(text: str) -> bool:
    """Whether `text` carries a redaction tag (such phrasings are not taught as-is)."""
    return any(tag in text for tag in TAGS)


def strip_tags(text: str) -> str:
    """Remove redaction tags and squeeze spaces, for phrasings given to the matcher."""
    for tag in TAGS:
        text = text.replace(tag, " ")
    return " ".join(text.split())
