"""What an unmet question is about: content-word stems, and how alike two questions are.

Grouping unmet questions on their surface fails: "aide pour le permis" and
"permis de conduire aide financière" share little text, while "internet pas
cher" and "ordinateur pas cher" share most of theirs. So a question is read
the way the matcher reads it — folded, rewritten by the lexicon (SMS forms,
English words), stemmed — and only its content words are kept: function
words, politeness and the words every need shares ("aide", "pas cher",
"besoin", "trouver", listed as data in `knowledge/mots-passe-partout.yaml`,
`bot.knowledge.generic_words`) are dropped. Everyday synonyms the knowledge base
has no reason to know ("enterrement"/"obsèques", "habits"/"vêtements") are
brought to one word: mediators list them in
`knowledge/synonymes-du-quotidien.yaml` (`bot.knowledge.synonyms`).
Questions about a new need often share no word at all
("évier bouché", "fuite sous le lavabo"): the everyday concepts mediators
list in `knowledge/mots-du-quotidien.yaml` (`ConceptIndex`) give them a
common token, in a block of the vector of its own.

Each question becomes a TF-IDF vector over those stems, fitted on the very
questions being grouped (a word common to many needs weighs little), joined
with character n-grams of the content words so that typos ("permi conduir",
"obseque") still meet. Needs are then formed by average-link agglomeration on
cosine distance: a question joins a group when it is close to the group as a
whole, not to one member only, which keeps chains of look-alikes from gluing
two needs together. A question left alone that names the main concept of a
group joins it (`_attach_lone_keys`). The constants were chosen on the
bench's tuning sets only (`python bench/clusters.py --sweep`).

Words cannot join the third of a new need's questions that share none with
the others (« scouts », « dormir sous la tente avec une patrouille »). So
the questions are also read whole by a multilingual sentence encoder
(`bot.laboratoire.sentences`), whose similarity weighs `SEMANTIC_WEIGHT` in
the one that groups, the words the rest.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize as l2_normalize

from bot.laboratoire.sentences import Encoder, semantic_similarity, vocabulary_words
from bot.laboratoire.sounds import sound_key
from bot.understanding.matcher import STOPWORDS
from bot.understanding.normalize import Lexicon, fold
from bot.understanding.stemmer import Stemmer

_TAG = re.compile(r"^\[.*\]$")
WORD_WEIGHT = 0.6  # stems vs character n-grams in the joined vector
THRESHOLD = 0.825  # average cosine distance under which groups merge: middle of the three tuning sets' plateau
CONCEPT_WEIGHT = 1.0  # the everyday concepts' own block in the joined vector, as heavy as the words (tuning sets)
# Share of the sentence encoder's similarity in the one that groups (the words keep the rest): the middle of
# the plateau 0.35–0.45 at threshold 0.825 on the six tuning sets (README, « Laboratoire », seventh step).
SEMANTIC_WEIGHT = 0.4
# A question left alone joins the group it is closest to on average when that closeness is this much or
# more (`_attach_by_closeness`): the middle of 0.07–0.13, where the six tuning sets' mean split falls by
# 2 to 6 points with purity kept >= 0.9 where it was (0.16: -0.7 points; README, « Laboratoire »).
LONE_SIMILARITY = 0.10


_STEMMER = Stemmer()  # the matcher's own rule, so needs are grouped as questions are matched
_CONCEPT_PREFIX = "concept"
CONCEPT_STEM_MIN = 5  # a concept word is found by its stem only when the stem keeps this many letters

# What a word may add to its stem and stay the same word, folded (« é » is « e »): a noun's or
# adjective's number, a verb's infinitive, participle and common persons; gender (« e », « es »)
# and the bare stem go with both. The stemmer also strips endings that make another word
# (« habit-ants », « présent-able », « pendent-if »): a concept word found by its stem must be a
# form of the listed one, of the same kind (« présenter » is no form of « presents »).
_ANY_ENDINGS = frozenset({"", "e", "es"})
_NOUN_ENDINGS = _ANY_ENDINGS | {"s", "x", "ie", "ies"}  # « ie »: a place or trade (laverie)
_VERB_ENDINGS = _ANY_ENDINGS | {"er", "ez", "ent", "ons", "ir", "r", "re", "ee", "ees", "is", "it"}


class ConceptIndex:
    """Which everyday concepts a question names, from the groups of `knowledge/mots-du-quotidien.yaml`.

    A word of a group is found whole, in the plural, or by its stem when the
    stem is long enough to stay one word ("bouchée" -> "bouché"; "courant"
    and "cours" share too short a stem to be taken as one). A word may belong
    to several groups: the question then names each of them.
    """

    def __init__(
        self,
        groups: Mapping[str, Sequence[str]],
        synonyms: Mapping[str, str] | None = None,
        generic: Iterable[str] | None = None,
        known: Iterable[str] = (),
    ) -> None:
        # Words read as one before anything else ("frigo" -> "refrigerateur"); the shipped ones by default.
        self.synonyms = Lexicon(dict(shipped_synonyms() if synonyms is None else synonyms))
        # Words any need may hold ("aide", "pas cher"): set aside, with the matcher's function words.
        self.generic = frozenset(shipped_generic_words() if generic is None else generic) | STOPWORDS
        # Words the knowledge base itself writes are real words, never a typing mistake for a listed one:
        # « changer » is no misspelt « chanter », « chantier » no misspelt « chanter ».
        self.known = frozenset(known)
        self.phrases: dict[tuple[str, ...], set[str]] = {}
        self.stems: dict[str, set[str]] = {}  # stem -> the listed single words having it
        self.sounds: dict[str, set[str]] = {}  # how listed words sound: "chofage" finds "chauffage"
        self.names: dict[str, str] = {}  # token -> the group's name, as mediators wrote it
        for name, words in groups.items():
            token = _CONCEPT_PREFIX + name.replace("-", "")
            self.names[token] = name
            for word in words:
                key = tuple(fold(word).split())
                if not key:
                    continue
                self.phrases.setdefault(key, set()).add(token)
                stem = _STEMMER.stem(key[0]) if len(key) == 1 else ""
                if len(stem) >= CONCEPT_STEM_MIN:
                    self.stems.setdefault(stem, set()).add(key[0])
                sound = sound_key(key[0]) if len(key) == 1 else ""
                if sound:
                    self.sounds.setdefault(sound, set()).add(token)
        self.longest = max((len(k) for k in self.phrases), default=0)
        # Expressions by the stems of their words: « attendre le car » is also « attend le car ».
        self.stem_phrases: dict[tuple[str, ...], set[str]] = {}
        for key, tokens in self.phrases.items():
            if len(key) >= 2:
                self.stem_phrases.setdefault(tuple(_STEMMER.stem(w) for w in key), set()).update(tokens)
        self._misspellings: dict[str, set[str] | None] = {}
        self._single_words = sorted(k[0] for k in self.phrases if len(k) == 1 and len(k[0]) >= SPELLING_MIN_LENGTH)

    def find(self, words: Sequence[str]) -> set[str]:
        """The concept tokens named by these folded words.

        The longest expression wins and its words are not read again alone:
        « punaises de lit » names pests, not furniture.
        """
        found: set[str] = set()
        stems = [_STEMMER.stem(w) for w in words]
        i = 0
        while i < len(words):
            tokens, read = self._expression(words, stems, i)
            if tokens:
                found |= tokens
                i += read
            else:
                found |= self._word(words[i])
                i += 1
        return found

    def _expression(self, words: Sequence[str], stems: Sequence[str], i: int) -> tuple[set[str], int]:
        """The groups of the longest expression starting at word `i`, and how many words it spans.

        Written as listed first, else inflected: « poils tout emmêlés » does not say « poils emmêlés »,
        but « poil emmêlé » does, as « les ados se retrouvent » says « les ados se retrouver ».
        Tuning sets: mean split 23.6 % -> 23.1 %, no set's purity lower; also letting one word
        inside (« poils tout emmêlés ») gave 22.5 % but lowered tune-4's purity: left out.
        """
        most = min(self.longest, len(words) - i)
        for size in range(most, 1, -1):
            tokens = self.phrases.get(tuple(words[i : i + size]))
            if tokens:
                return tokens, size
        for size in range(most, 1, -1):
            tokens = self.stem_phrases.get(tuple(stems[i : i + size]))
            if tokens:
                return tokens, size
        return set(), 0

    def _word(self, word: str) -> set[str]:
        """One word: whole, plural, by stem, by its sound, or a typing mistake away from a listed word."""
        tokens = self.phrases.get((word,))
        if tokens is None and len(word) > 3 and word[-1] in "sx":
            tokens = self.phrases.get((word[:-1],))
        if tokens is None and word in self.generic:
            # A word any need may hold ("cours", "démarche") names a concept only when listed as typed:
            # read by its stem or sound it would meet « court » or « démarcheur » in every other question.
            return set()
        if tokens is None:
            tokens = self._by_stem(word)
        if tokens is None:
            tokens = self.sounds.get(sound_key(word))
        if tokens is None and len(word) >= SPELLING_MIN_LENGTH and not self._real_word(word):
            if word not in self._misspellings:  # bounded: the distinct words of the backlog
                self._misspellings[word] = self._misspelt(word)
            tokens = self._misspellings[word]
        return tokens or set()

    def _real_word(self, word: str) -> bool:
        """A word the knowledge base writes, or one the sentence encoder knows whole: never a misspelling."""
        return word in self.known or word in vocabulary_words()

    def _by_stem(self, word: str) -> set[str] | None:
        """The groups of the listed words `word` is an inflection of (« bouchée » of « bouché »), by stem.

        « habitants » shares the stem « habit » with « habits », and « présenter » « present » with
        « presents »: neither is a form of the listed word, so neither names its group.
        """
        stem = _STEMMER.stem(word)
        if len(stem) < CONCEPT_STEM_MIN:
            return None
        tokens = {t for listed in self.stems.get(stem, ()) if same_word(word, listed) for t in self.phrases[(listed,)]}
        return tokens or None

    def _misspelt(self, word: str) -> set[str] | None:
        """The groups of the listed word `word` is one or two typing mistakes from ("asenceur")."""
        best = process.extractOne(
            word, self._single_words, scorer=Levenshtein.distance, score_cutoff=SPELLING_EDITS_LONG
        )
        if best is None or not _one_spelling(word, best[0], int(best[1])):
            return None
        return self.phrases[(best[0],)]


def _word_kinds(word: str) -> frozenset[str]:
    """Whether `word` is its stem plus a noun's ending, a verb's, both or neither (another word)."""
    stem = _STEMMER.stem(word)
    if len(word) >= len(stem) and word[: len(stem) - 1] == stem[:-1]:
        ending = word[len(stem) :]  # the stemmer may rewrite its last letter: « nettoyer » -> « nettoi »
    else:
        shared = 0
        while shared < min(len(word), len(stem)) and word[shared] == stem[shared]:
            shared += 1
        ending = word[shared:]
    kinds = set()
    if ending in _NOUN_ENDINGS:
        kinds.add("noun")
    if ending in _VERB_ENDINGS:
        kinds.add("verb")
    return frozenset(kinds)


def same_word(a: str, b: str) -> bool:
    """Two folded words with one stem that are forms of one word: their endings are of one kind.

    « chanter » / « chante » / « chant », « bouchée » / « bouché » are; « habitants » / « habits »
    (« -ants » makes another word) and « présenter » / « presents » (a verb, a noun) are not.
    """
    if a == b or _inflected(a, b):
        return True
    return _STEMMER.stem(a) == _STEMMER.stem(b) and bool(_word_kinds(a) & _word_kinds(b))


@cache
def shipped_synonyms() -> dict[str, str]:
    """The synonyms of the repository's knowledge base: what a hand-made index reads words with."""
    from bot.knowledge.synonyms import load_synonyms

    return load_synonyms(None)[0]


@cache
def shipped_generic_words() -> frozenset[str]:
    """The generic words of the repository's knowledge base (`knowledge/mots-passe-partout.yaml`)."""
    from bot.knowledge.generic_words import load_generic_words

    return load_generic_words(None)[0]


@lru_cache(maxsize=8)
def _index_of(path: str, mtimes: tuple[float, ...]) -> ConceptIndex:
    from bot.knowledge.concepts import load_concepts
    from bot.knowledge.generic_words import load_generic_words
    from bot.knowledge.synonyms import load_synonyms

    directory = Path(path)
    return ConceptIndex(
        load_concepts(directory)[0],
        load_synonyms(directory)[0],
        load_generic_words(directory)[0],
        known=known_words(directory),
    )


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def known_words(directory: Path) -> frozenset[str]:
    """Every folded word the knowledge base's files write (entries, phrasings, word lists).

    A typed word found there is a word of the language as mediators write it,
    so it is never taken as a typing mistake for a concept word a letter away
    (« changer » for « chanter »). Read as plain text: a broken file still
    gives its words, and nothing here can fail the review. Re-read with the
    word lists (`concept_index`), which is when it matters.
    """
    words: set[str] = set()
    for path in sorted(Path(directory).rglob("*.yaml")):
        try:
            words.update(_WORD.findall(fold(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError):
            continue
    return frozenset(words)


def concept_index(knowledge_dir: Path | None = None) -> ConceptIndex:
    """The everyday concepts, synonyms and generic words of a knowledge base (the configured one by
    default), re-read when any of their files changes."""
    from bot.config import load_settings
    from bot.knowledge.concepts import CONCEPTS_FILE, REPO_CONCEPTS
    from bot.knowledge.generic_words import GENERIC_FILE, REPO_GENERIC
    from bot.knowledge.synonyms import REPO_SYNONYMS, SYNONYMS_FILE

    directory = Path(knowledge_dir) if knowledge_dir else load_settings().knowledge_dir
    files = ((CONCEPTS_FILE, REPO_CONCEPTS), (SYNONYMS_FILE, REPO_SYNONYMS), (GENERIC_FILE, REPO_GENERIC))
    return _index_of(str(directory), tuple(_mtime(directory / name, shipped) for name, shipped in files))


def _mtime(path: Path, shipped: Path) -> float:
    """When the file a base uses was last changed (the shipped one when the base has none)."""
    source = path if path.exists() else shipped
    return source.stat().st_mtime if source.exists() else 0.0


def _all_words(normalized: str, index: ConceptIndex) -> list[str]:
    """Folded, synonym-mapped words, redaction tags dropped."""
    words = [w for w in normalized.split() if not _TAG.match(w)]
    return index.synonyms.rewrite(fold(" ".join(words)).split())


def content_words(normalized: str, index: ConceptIndex | None = None) -> list[str]:
    """The words that carry the need, folded and synonym-mapped (`index`'s synonyms), in their order."""
    index = index or concept_index()
    words = _all_words(normalized, index)
    return [w for w in words if w not in index.generic and len(w) > 1 and not w.isdigit()]


def concepts(normalized: str, index: ConceptIndex | None = None) -> list[str]:
    """The everyday concepts a question names, looked up on its words as typed and as synonyms rewrite them,
    before function words go ("machine à laver")."""
    index = index or concept_index()
    raw = [w for w in fold(normalized).split() if not _TAG.match(w)]
    return sorted(index.find(raw) | index.find(_all_words(normalized, index)))


def content_stems(
    normalized: str, spelling: dict[str, str] | None = None, index: ConceptIndex | None = None
) -> list[str]:
    """Stems of the content words, each spelt as `spelling` says (the backlog's one spelling of a word)."""
    spelling = spelling or {}
    return [word_stem(spelling.get(w, w)) for w in content_words(normalized, index)]


def word_stem(word: str) -> str:
    """The matcher's stem of a folded word when the stemmer took off an inflection only, else the word
    less its plural: « habitants » and « habits » are two words, not the stem « habit » twice."""
    if _word_kinds(word):
        return _STEMMER.stem(word)
    single = word[:-1] if len(word) > 3 and word[-1] in "sx" else word
    return _STEMMER.stem(single) if _word_kinds(single) else single


SPELLING_MIN_LENGTH = 6  # shorter words are too often two different words one letter apart
SPELLING_EDITS = 1  # letters typed wrong, missing or extra in a word of 6 or 7 letters...
SPELLING_EDITS_LONG = 2  # ... and in a longer one
SPELLING_LONG = 8


def _one_spelling(a: str, b: str, edits: int) -> bool:
    """Two words a few typing mistakes apart, beginning alike: residents rarely miss the first letters,
    and words that differ there ("emménager"/"déménager", "rendre"/"prendre") are other words."""
    allowed = SPELLING_EDITS_LONG if min(len(a), len(b)) >= SPELLING_LONG else SPELLING_EDITS
    return edits <= allowed and a[:2] == b[:2] and not _inflected(a, b) and not _other_form(a, b)


def _other_form(a: str, b: str) -> bool:
    """Two words of one stem but of another kind (« présenter », « presents »): two words the stem
    tells apart (`same_word`), never a typing mistake for each other."""
    return _STEMMER.stem(a) == _STEMMER.stem(b) and not same_word(a, b)


def _inflected(a: str, b: str) -> bool:
    """One word is the other with a final « e », « s » or « es »: a form of it (« rentre », « rentrée »),
    read by its stem if at all, never as a typing mistake for it."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) and long[len(short) :] in ("e", "s", "es")


def spelling_classes(word_lists: Sequence[Sequence[str]]) -> dict[str, str]:
    """Words of the backlog that are one word typed differently, mapped to its most frequent spelling.

    Residents misspell the very word that carries a new need ("asenceur",
    "ascensseur"); no lexicon can
    list every such form of words it has never seen. Within the questions
    being grouped, two content words are taken as one when they are nearly the
    a typing mistake or two apart and begin alike; each class is counted as
    its most frequent spelling.
    """
    frequency = Counter(w for words in word_lists for w in words if len(w) >= SPELLING_MIN_LENGTH)
    vocabulary = sorted(frequency)
    if len(vocabulary) < 2:
        return {}
    parent = list(range(len(vocabulary)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    distances = process.cdist(
        vocabulary, vocabulary, scorer=Levenshtein.distance, score_cutoff=SPELLING_EDITS_LONG, dtype=np.int32, workers=1
    )
    rows, columns = np.nonzero(distances <= SPELLING_EDITS_LONG)
    pairs = [
        (int(i), int(j))
        for i, j in zip(rows, columns)
        if i < j and _one_spelling(vocabulary[i], vocabulary[j], int(distances[i, j]))
    ]
    for i, j in pairs:
        parent[root(i)] = root(j)
    classes: dict[int, list[str]] = {}
    for i, word in enumerate(vocabulary):
        classes.setdefault(root(i), []).append(word)
    mapping = {}
    for words in classes.values():
        if len(words) > 1:
            canonical = min(words, key=lambda w: (-frequency[w], -len(w), w))
            mapping.update({w: canonical for w in words if w != canonical})
    return mapping


ACTION_SUFFIXES = ("ations", "ation", "ements", "ement", "ages", "age")
VERB_FORMS = ("er", "ez", "ent", "ons", "ee", "ees", "ais", "ait")  # never a bare « e »: « messe » is no « message »
ACTION_ROOT_MIN = 4  # letters left before the suffix: « massage » (mass-) is read, « visage » (vis-) is not


def derivation_classes(word_lists: Sequence[Sequence[str]]) -> dict[str, str]:
    """Action nouns of the backlog mapped to a form of their verb that the backlog holds too.

    The words' block keeps a derived word whole (`word_stem`: « habitants »
    is no « habits »), so « massage » and « masser », « recyclage » and
    « recycler », « décoration » and « décorer » were two words, and
    « apprendre à masser mon nourrisson » stayed apart from « massage pour
    bébé ». A noun of action (-age, -ation, -ement) is its verb's root plus a
    suffix; it is read as the verb only when the backlog holds a form of that
    verb on the same root (« masser », « massez »), never from the root
    alone, so « partage » does not meet « partir » nor « message » « messe ».
    """
    vocabulary = sorted({w for words in word_lists for w in words})
    present = set(vocabulary)
    mapping = {}
    for word in vocabulary:
        suffix = next((x for x in ACTION_SUFFIXES if word.endswith(x)), None)
        root = word[: -len(suffix)] if suffix else ""
        if len(root) < ACTION_ROOT_MIN:
            continue
        verb = next((root + e for e in VERB_FORMS if root + e in present), None)
        if verb:
            mapping[word] = verb
    return mapping


@dataclass(frozen=True)
class Grouping:
    """Which group each key fell in, and the stems' weights (for labels)."""

    groups: list[int]  # group number per key, in input order
    weights: dict[str, float]  # stem -> idf


def group_keys(
    keys: Sequence[str],
    threshold: float = THRESHOLD,
    word_weight: float = WORD_WEIGHT,
    concept_weight: float = CONCEPT_WEIGHT,
    index: ConceptIndex | None = None,
    texts: Sequence[str] | None = None,
    semantic_weight: float = SEMANTIC_WEIGHT,
    encoder: Encoder | None = None,
    lone_similarity: float = LONE_SIMILARITY,
) -> Grouping:
    """Group distinct normalised texts by meaning; group numbers follow the keys' order.

    Three views of each question are joined: its content stems, the everyday
    concepts it names (`index`, the knowledge base's mots du quotidien by
    default) and character n-grams of its words (typos). The concepts have a
    block of their own, so that two questions sharing no word but one concept
    ("évier bouché", "fuite sous le lavabo") are close, however many other
    words they have. The first MAX_EXACT keys (callers pass the most asked
    first) are grouped exactly; any further key joins the group whose centre
    it is closest to, or starts its own, so that memory stays bounded.

    `texts`: the questions as residents typed them (redacted), one per key.
    When given, a sentence encoder reads them whole (`bot.laboratoire.sentences`)
    and its similarity weighs `semantic_weight` in the one that groups, the
    words the rest: « scouting for my son » and « inscrire ma fille chez les
    éclaireurs » share no word, yet are one need.
    """
    n = len(keys)
    if n == 0:
        return Grouping([], {})
    index = index or concept_index()
    word_lists = [content_words(k, index) for k in keys]
    spelling = spelling_classes(word_lists)
    spelling.update({w: v for w, v in derivation_classes(word_lists).items() if w not in spelling})
    stems = [" ".join(content_stems(k, spelling, index)) for k in keys]
    named = [concepts(k, index) for k in keys]
    words = [" ".join(content_words(k, index)) for k in keys]
    word_vec = TfidfVectorizer(analyzer=str.split, sublinear_tf=True, norm="l2")
    try:
        word_m = word_vec.fit_transform([f"{s} {' '.join(c)}" if c else s for s, c in zip(stems, named)])
    except ValueError:  # no content word anywhere: nothing to group on
        return Grouping(list(range(n)), {})
    weights = {str(k): float(v) for k, v in zip(word_vec.get_feature_names_out(), word_vec.idf_)}
    blocks = [word_m * word_weight]
    if any(named):
        concept_m = TfidfVectorizer(analyzer=lambda tokens: tokens, sublinear_tf=True, norm="l2").fit_transform(named)
        blocks.append(concept_m * concept_weight)
    text_blocks = [_stem_matrix(stems) * word_weight]
    try:
        char_m = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, norm="l2").fit_transform(
            words
        )
        blocks.append(char_m * (1 - word_weight))
        text_blocks.append(char_m * (1 - word_weight))
    except ValueError:
        pass
    matrix = l2_normalize(hstack(blocks).tocsr())
    exact = min(n, MAX_EXACT)
    dense = matrix[:exact].toarray()
    text = l2_normalize(hstack(text_blocks).tocsr())[:exact].toarray()
    semantic = semantic_similarity(texts[:exact], encoder) if texts is not None and semantic_weight > 0 else None
    similarity = _similarity(dense, text, semantic, semantic_weight)
    groups = _attach_lone_keys(dense, _agglomerate(dense, threshold, similarity=similarity), named[:exact])
    if semantic is not None:  # measured with the questions read whole; a small backlog reads words only
        groups = _attach_by_closeness(groups, similarity, lone_similarity, ~dense.any(axis=1))
    if n > exact:
        groups += _assign_rest(matrix, groups, exact, threshold)
    return Grouping(groups, weights)


SMALL_GROUP = 2  # a group this small whose questions name a larger group's main concept joins it (tuning sets)
MAX_EXACT = 3000  # keys grouped exactly (a 3000x3000 distance matrix is 72 MB)


def _stem_matrix(stems: Sequence[str]) -> csr_matrix:
    """TF-IDF of the content stems alone, concepts left out (empty rows for questions with none)."""
    try:
        return TfidfVectorizer(analyzer=str.split, sublinear_tf=True, norm="l2").fit_transform(stems)
    except ValueError:  # no stem anywhere
        return csr_matrix((len(stems), 1))


def _similarity(
    dense: np.ndarray,
    text: np.ndarray | None = None,
    semantic: np.ndarray | None = None,
    semantic_weight: float = 0.0,
) -> np.ndarray:
    """How alike the questions are (n x n), on which they are grouped.

    `text`: the questions' words alone (stems and character n-grams, no
    concept). Two questions are at least as close as their own words make
    them: a concept that only one of them names (« parc » in « seringues par
    terre dans le parc », none in « qui ramasse les seringues dans la cité »)
    adds closeness when shared, and never takes away the closeness of a rare
    word they share. Without this, the heavier concept block drowned the one
    word two questions had in common (0.17 for the two syringe questions,
    0.35 on their words alone).

    `semantic`: how alike the questions are read whole (0 to 1), blended in
    with `semantic_weight`.
    """
    similarity: np.ndarray = dense @ dense.T
    if text is not None:
        similarity = np.maximum(similarity, text @ text.T)
    if semantic is not None:
        similarity = (1.0 - semantic_weight) * similarity + semantic_weight * semantic
    return similarity


def _agglomerate(
    dense: np.ndarray,
    threshold: float,
    text: np.ndarray | None = None,
    semantic: np.ndarray | None = None,
    semantic_weight: float = 0.0,
    similarity: np.ndarray | None = None,
) -> list[int]:
    """Average-link groups on cosine distance, numbered by first appearance.

    The distance is one less the similarity (`similarity`, else `_similarity`
    of the other arguments). A key with no content word stays alike nothing,
    however it reads: « j'ai besoin d'aide » says no need.
    """
    n = dense.shape[0]
    if n == 1:
        return [0]
    if similarity is None:
        similarity = _similarity(dense, text, semantic, semantic_weight)
    distances = np.clip(1.0 - similarity, 0.0, 2.0)
    empty = ~dense.any(axis=1)
    distances[empty, :] = 1.0  # a key with no content word is alike nothing
    distances[:, empty] = 1.0
    np.fill_diagonal(distances, 0.0)
    tree = linkage(distances[np.triu_indices(n, k=1)], method="average")
    labels = fcluster(tree, t=threshold, criterion="distance")
    order: dict[int, int] = {}
    return [order.setdefault(int(label), len(order)) for label in labels]


def _attach_by_closeness(groups: list[int], similarity: np.ndarray, floor: float, empty: np.ndarray) -> list[int]:
    """A question left alone joins the larger group it is closest to on average, if that is `floor` or more.

    Average-link merges a question into a group only when it is as close to
    the group as the group's own members are to each other; a question
    naming its need in other words (« groupe de louveteaux » beside « scouts
    à brest ») stays a row of 1 that k-anonymity hides, and the need shows
    smaller than it is. A lone question that is somewhat close to one group
    as a whole, closer than to any other, is more likely of that need than a
    need of its own. Never a question with no content word (« j'ai besoin
    d'aide »): it says no need.
    """
    members: dict[int, list[int]] = {}
    for row, group in enumerate(groups):
        members.setdefault(group, []).append(row)
    larger = [g for g, rows in members.items() if len(rows) >= 2]
    joined = list(groups)
    if not larger:
        return joined
    for rows in members.values():
        if len(rows) != 1 or empty[rows[0]]:
            continue
        row = rows[0]
        mean = {g: float(similarity[row, members[g]].mean()) for g in larger}
        best = max(larger, key=lambda g: (mean[g], -g))
        if mean[best] >= floor:
            joined[row] = best
    order: dict[int, int] = {}
    return [order.setdefault(g, len(order)) for g in joined]


def _attach_lone_keys(dense: np.ndarray, groups: list[int], named: Sequence[Sequence[str]]) -> list[int]:
    """A question left alone (or in a pair) joins the nearest larger group whose main concept it names.

    A long story ("mon fils tousse tout l'hiver… le salpêtre…") is far from
    every short question on average, even when it names the very concept a
    group is made of. Left alone, it becomes a row of 1 that nobody reads and
    that k-anonymity hides. It joins a group only when the group's main
    concept (named by at least half its questions) is one it names too;
    questions naming no concept stay alone. The same holds for a pair
    (`SMALL_GROUP`): two stories held together by a side word (« la chambre
    de mon fils ») each join the larger group of a concept they name.
    """
    members: dict[int, list[int]] = {}
    for row, group in enumerate(groups):
        members.setdefault(group, []).append(row)
    main: dict[int, set[str]] = {}
    for group, rows in members.items():
        counts = Counter(c for r in rows for c in named[r])
        if len(rows) >= 2 and counts:
            main[group] = {c for c, n in counts.items() if 2 * n >= len(rows)}
    centres = {g: dense[rows].sum(axis=0) for g, rows in members.items() if g in main}
    joined = list(groups)
    for own, rows in members.items():
        if len(rows) > SMALL_GROUP:
            continue
        for row in rows:
            candidates = [
                g for g, names in main.items() if g != own and len(members[g]) > len(rows) and names & set(named[row])
            ]
            if candidates:
                joined[row] = max(candidates, key=lambda g: (float(centres[g] @ dense[row]) / _norm(centres[g]), -g))
    order: dict[int, int] = {}
    return [order.setdefault(g, len(order)) for g in joined]


def _norm(vector: np.ndarray) -> float:
    return float(np.linalg.norm(vector)) or 1.0


def _assign_rest(matrix: csr_matrix, groups: list[int], start: int, threshold: float) -> list[int]:
    """Keys beyond MAX_EXACT join the nearest group centre, or open a group of their own."""
    count = max(groups) + 1
    centres = np.zeros((count, matrix.shape[1]))
    for row, group in enumerate(groups):
        centres[group] += matrix[row].toarray()[0]
    centres = l2_normalize(centres)
    extra: list[int] = []
    for row in range(start, matrix.shape[0]):
        vector = matrix[row].toarray()[0]
        similarity = centres @ vector
        best = int(np.argmax(similarity)) if len(similarity) else -1
        if best >= 0 and 1.0 - similarity[best] <= threshold and vector.any():
            extra.append(best)
        else:
            extra.append(count)
            centres = np.vstack([centres, vector[None, :]])
            count += 1
    return extra


def telling_stems(stem_lists: Sequence[Sequence[str]], weights: dict[str, float], size: int = 3) -> list[str]:
    """The stems that best say what a group is about, most telling first (see `telling_values`)."""
    return list(telling_values(stem_lists, weights, size))


def telling_values(stem_lists: Sequence[Sequence[str]], weights: dict[str, float], size: int = 3) -> dict[str, float]:
    """How telling each of a group's best stems is: the share of its questions using it times its rarity.

    Concept tokens help grouping but are no words to show, so they are left out.
    """
    frequency = Counter(stem for stems in stem_lists for stem in set(stems) if not stem.startswith(_CONCEPT_PREFIX))
    if not frequency:
        return {}
    members = max(1, len(stem_lists))
    value = {s: (frequency[s] / members) * weights.get(s, 1.0) for s in frequency}
    ranked = sorted(frequency, key=lambda s: (-value[s], -frequency[s], s))
    chosen = [s for s in ranked if frequency[s] / members >= LABEL_COVERAGE][:size] or ranked[:1]
    return {s: value[s] for s in chosen}


_SURFACE_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+", re.UNICODE)
LABEL_COVERAGE = 0.3  # a label word is in about a third of the group's questions at least
MAX_LABEL_WORDS = 5
LABEL_NAME_MIN_ASKERS = 2  # a longer name typed by one resident only is their phrasing, not the need's name


LABEL_MAJORITY = 0.5  # a group named by its words: they are in half its questions at least
MIXED = "divers"
MIXED_WORDS = 3


def label(
    questions: Sequence[str],
    normalized: Sequence[str],
    weights: dict[str, float],
    index: ConceptIndex | None = None,
) -> str:
    """A short readable name for a group, in residents' own words: "permis de conduire".

    The group's telling stems are looked for in each (redacted) question; the
    shortest readable run of words (content words and the connectors between
    them) covering most of them is a candidate. Candidates that mean the same
    ("obsèques", "obseques", "l'enterrement") are counted together; the
    meaning made of the most telling words wins, and its most frequent
    spelling is shown, accents preferred. Nothing but the questions' own
    words is shown, never a redaction tag, a number or a function word.

    A group whose words no half of it shares gets no such name, which would
    speak for a few of its questions only: it is named by the everyday
    concept most of it names ("plomberie : évier, fuite, lavabo"), or else
    « divers » with its most telling words, so staff know to look inside.
    """
    index = index or concept_index()
    stem_lists = [content_stems(n, index=index) for n in normalized]
    shared = Counter(s for stems in stem_lists for s in set(stems))
    if len(stem_lists) >= 2 and shared and max(shared.values()) < LABEL_MAJORITY * len(stem_lists):
        return _mixed_label(questions, normalized, stem_lists, weights, index)
    return _words_label(questions, normalized, weights, index)


def _mixed_label(
    questions: Sequence[str],
    normalized: Sequence[str],
    stem_lists: Sequence[Sequence[str]],
    weights: dict[str, float],
    index: ConceptIndex,
) -> str:
    """ "plomberie : évier, fuite, lavabo" (the words naming the concept) or "divers : guitare, évier, vélo"."""
    named = Counter(c for n in normalized for c in concepts(n, index))
    if named:
        token, count = min(named.items(), key=lambda item: (-item[1], item[0]))
        if count >= LABEL_MAJORITY * len(normalized) and token in index.names:
            typed = Counter(w for q in questions for w in _typed_words(q) if token in index.find(fold(w).split()))
            shown = _one_per_stem(typed)[:MIXED_WORDS]
            name = display_name(index.names[token])
            return f"{name} : {', '.join(shown)}" if shown else name
    top = _covering_stems(stem_lists, weights, MIXED_WORDS)
    return f"{MIXED} : {', '.join(_surface_word(questions, stem, index) for stem in top)}"


# A suffix mediators give a group whose plain name another group already has (« deuil-lexique »).
_NAME_SUFFIX = "-lexique"


def display_name(group: str) -> str:
    """A group's name as staff read it in a label: « objets trouves », never « objets-trouves-lexique »."""
    return group.removesuffix(_NAME_SUFFIX).replace("-", " ")


def _covering_stems(stem_lists: Sequence[Sequence[str]], weights: dict[str, float], size: int) -> list[str]:
    """Up to `size` stems that together speak for most of a mixed group's questions, one question each.

    « divers : guitare, bouché, évier » tells staff of two things inside;
    « divers : guitare, évier, vélo » of three: each word is chosen for the
    questions no word chosen before speaks for (then the most frequent, the
    rarest in the backlog, the first asked and typed: « évier » in « évier bouché »).
    """
    frequency = Counter(s for stems in stem_lists for s in set(stems))
    position: dict[str, tuple[int, int]] = {}  # (first question using it, its place there)
    for q, stems in enumerate(stem_lists):
        for i, stem in enumerate(stems):
            position.setdefault(stem, (q, i))
    covered: set[int] = set()
    chosen: list[str] = []
    while len(chosen) < size and len(chosen) < len(frequency):
        new = {
            s: sum(1 for i, stems in enumerate(stem_lists) if i not in covered and s in stems)
            for s in frequency
            if s not in chosen
        }
        best = min(new, key=lambda s: (-new[s], -frequency[s], -weights.get(s, 1.0), position[s], s))
        chosen.append(best)
        covered |= {i for i, stems in enumerate(stem_lists) if best in stems}
    return chosen


def _one_per_stem(typed: Counter[str]) -> list[str]:
    """Typed words, most frequent first, each stem once ("fenêtre", not also "fenetre" and "fenêtres")."""
    by_stem: dict[str, list[str]] = {}
    for word in typed:
        by_stem.setdefault(word_stem(fold(word)), []).append(word)
    best = [min(words, key=lambda w: (-typed[w], -_accents(w), w)) for words in by_stem.values()]
    total = {b: sum(typed[w] for w in words) for b, words in zip(best, by_stem.values())}
    return sorted(best, key=lambda w: (-total[w], w))


def _typed_words(question: str) -> list[str]:
    """A question's words as typed (lower case, elided article dropped: "d'eau" -> "eau"), tags left out."""
    return [_ELISION.sub("", w) for w in _SURFACE_WORD.findall(question.lower()) if not _TAG.match(w)]


def _surface_word(questions: Sequence[str], stem: str, index: ConceptIndex) -> str:
    """The word residents typed most often for a stem (accents kept), or the stem itself."""
    typed = Counter(
        w for question in questions for w in _typed_words(question) if stem in content_stems(fold(w), index=index)
    )
    return min(typed, key=lambda w: (-typed[w], -_accents(w), w)) if typed else stem


def _words_label(
    questions: Sequence[str], normalized: Sequence[str], weights: dict[str, float], index: ConceptIndex
) -> str:
    """The label made of the words most of the group shares (see `label`)."""
    values = telling_values([content_stems(n, index=index) for n in normalized], weights)
    if not values:
        return ""
    texts: list[str] = []
    for question in questions:
        words = [w for w in _SURFACE_WORD.findall(question.lower()) if not _TAG.match(w)]
        span = _best_span(words, values, index)
        if span is not None:
            texts.append(_ELISION.sub("", span))
    if not texts:
        return " ".join(values)
    meanings = Counter(_meaning(t, index) for t in texts)
    # How telling a meaning's words are, times how many questions say it (maybe with more words).
    support = {
        m: round(
            sum(n for other, n in meanings.items() if set(other) >= set(m)) * sum(values.get(s, 0.0) for s in m), 6
        )
        for m in meanings
    }
    meaning = min(meanings, key=lambda m: (-support[m], -meanings[m], m))
    shown = _spelling(texts, meaning, index)
    # A name several residents typed around it ("permis" -> "permis de conduire") says more: prefer it.
    around = Counter(
        _meaning(t, index)
        for t in texts
        if set(_meaning(t, index)) > set(meaning) and f" {fold(shown)} " in f" {fold(t)} "
    )
    if around:
        longer = min(around, key=lambda m: (-around[m], m))
        if around[longer] >= LABEL_NAME_MIN_ASKERS:  # its added words are telling ones: no filler
            return _spelling(texts, longer, index)
    return shown


def _spelling(texts: Sequence[str], meaning: tuple[str, ...], index: ConceptIndex) -> str:
    """The most common spelling; the plain word before a synonym ("obsèques", not "enterrement");
    then one typed with its accents (typed with care); then the shortest."""
    spellings = Counter(t for t in texts if _meaning(t, index) == meaning)
    by_fold = Counter(fold(t) for t in spellings.elements())
    return min(
        spellings, key=lambda t: (-by_fold[fold(t)], not _plain(t, index), -spellings[t], -_accents(t), len(t), t)
    )


def _plain(text: str, index: ConceptIndex) -> bool:
    words = fold(text).split()
    return index.synonyms.rewrite(words) == words


def _accents(text: str) -> int:
    return sum(not ch.isascii() for ch in text)


_ELISION = re.compile(r"^(?:[ljdmtsnc]|qu)['’]", re.IGNORECASE)


def _meaning(text: str, index: ConceptIndex) -> tuple[str, ...]:
    return tuple(sorted(s for s in content_stems(text, index=index) if not s.startswith(_CONCEPT_PREFIX)))


# Short words that join two content words into one name ("permis de conduire", "machine à laver",
# "salle des fêtes"): the only function words a label may hold, once, between two content words.
CONNECTORS = frozenset({"de", "d", "du", "des", "a", "à", "au", "aux", "en"})
_CONTENT, _CONNECTOR, _FILLER = "content", "connector", "filler"


def _word_kind(word: str, index: ConceptIndex) -> str:
    """Whether a typed word can stand in a label, join two label words, or must stay out of it."""
    if word in CONNECTORS:
        return _CONNECTOR
    if word.isdigit() or not content_words(fold(word), index):
        return _FILLER  # "pas", "cher", "les", "est", "mes", "1": true of every need, or of none
    return _CONTENT


def _readable(kinds: Sequence[str]) -> bool:
    """Content words, with single connectors between them: no filler, no connector at an end."""
    if _FILLER in kinds or kinds[0] == _CONNECTOR:
        return False
    return all(not (a == b == _CONNECTOR) for a, b in zip(kinds, kinds[1:]))


def _best_span(words: list[str], values: dict[str, float], index: ConceptIndex) -> str | None:
    """The shortest readable run of words holding the most telling stems, no useless word at either end.

    Runs are read like whole questions (synonyms of several words included:
    "carte d'identité"), so what is shown is what residents typed; a run holds
    content words and the connectors between them only ("permis de conduire",
    never "sport pas cher adulte" nor "rue est éteint").
    """

    wanted = set(values)

    @cache
    def stems_of(i: int, j: int) -> frozenset[str]:
        return frozenset(content_stems(" ".join(words[i : j + 1]), index=index)) & wanted if i <= j else frozenset()

    kinds = [_word_kind(w, index) for w in words]
    best: tuple[float, int, str] | None = None
    for i in range(len(words)):
        for j in range(i, min(len(words), i + MAX_LABEL_WORDS)):
            if not _readable(kinds[i : j + 1]):
                break  # a longer run from i holds the same filler
            covered = stems_of(i, j)
            if not covered or (i < j and (stems_of(i + 1, j) == covered or stems_of(i, j - 1) == covered)):
                continue
            candidate = (round(sum(values[s] for s in covered), 6), i - j, " ".join(words[i : j + 1]))
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None
