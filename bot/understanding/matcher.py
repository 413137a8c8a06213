"""Finding the right or service behind a resident's words.

Whole-string similarity fails on real questions: they are long, full of
filler ("bonjour je voulais savoir"), and the telling word is often misspelt.
So the matcher works word by word:

1. every phrasing, title and keyword of the knowledge base is normalised,
   stripped of function words and stemmed, once, at load;
2. each word of the question is mapped to the knowledge base's vocabulary,
   exactly, through a glued elision ("jhabite" -> "habite"), or with
   rapidfuzz when it is misspelt;
3. words weigh by how informative they are (inverse document frequency over
   entries), so "rsa" counts more than "aide";
4. an entry scores by its best phrasing (how much of the phrasing the question
   covers, and how much of the question the phrasing explains) blended with
   how much of the question its whole vocabulary explains.

The index is built once; answering never reads a file or rebuilds anything.

When a learned model is given (see `learned.py`), its probabilities are fused
with these lexical scores: the lexical side is precise when a question reuses
the knowledge base's words, the learned side generalises to words nobody
wrote there and knows the off-topic contexts of a right's word. The fused
value is mapped to a calibrated 0-100 `score` (Platt scaling fitted on the
development set by `bench/tune.py`): the same score means the same chance of
being right, whichever entry it is about.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from bot.understanding.formulas import strip_formulas
from bot.understanding.framing import frames_as_statistics_or_news
from bot.understanding.gazetteer import Gazetteer, QuartierGuess
from bot.understanding.learned import LearnedModel
from bot.understanding.lexical_cache import build_or_read_index
from bot.understanding.model_cache import ModelCache
from bot.understanding.normalize import Lexicon, Normalizer, fold
from bot.understanding.sentence_evidence import SentenceEvidence
from bot.understanding.situation import BAND_WORDS, with_age_bands
from bot.understanding.statements import clauses, fine_clauses, is_place_statement, sentences_of
from bot.understanding.stemmer import Stemmer

if TYPE_CHECKING:  # the knowledge package imports this one: no import cycle at run time
    from bot.knowledge.model import KnowledgeBase

# Function words and chat filler: they say nothing about which right is meant.
STOPWORDS = frozenset(
    """
    a au aux avec ce ces cet cette c ca d de des du elle elles en et eux il ils j je la le les leur leurs
    lui m ma me mes moi mon n ne ni nos notre nous on ou par pas pour qu que qui s sa se ses si son sur
    t ta te tes toi ton tu un une vos votre vous y est sont suis es etes sommes ai as avons avez ont
    etait ete etre avoir fait faire fais peux peut pouvez pouvons veux veut voudrais voulais voudrait
    quoi quel quelle quels quelles comment combien quand pourquoi alors donc mais car comme tres trop
    plus moins bien tout tous toute toutes ici la-bas cela ceci celui celle ya il-y-a svp stp merci
    bonjour bonsoir salut madame monsieur mme mr mlle savoir sais voila euh bah ben hein ok oui non
    dans chez depuis entre vers sans sous encore deja aussi meme autre autres faut dois doit devez
    the a an is i my me it to of for in on and or
    """.split()
)
# Words that carry the whole meaning of some intents: never drop them.
KEEP = frozenset({"merci", "bonjour", "bonsoir", "salut", "plus", "personne", "humain"})
_EFFECTIVE_STOPWORDS = STOPWORDS - KEEP
# Greetings and thanks are the whole message in "bonjour" or "merci bcp", but only
# politeness in "bonjour, je suis malade et sans papiers": then they are ignored.
POLITENESS = frozenset(
    {
        "bonjour",
        "bonsoir",
        "salut",
        "coucou",
        "hello",
        "hi",
        "hey",
        "merci",
        "remercie",
        "thanks",
        "thank",
        "cordialement",
        "bonne",
        "journee",
        "soiree",
    }
)
# With the sentence reading attached (`Matcher.attach_sentences`): its share of the learned side, and the
# settings that change with it, chosen on the dev set and the base's cross-validation together
# (`bench/sentence_evidence.py`: the point with the fewest confident wrong answers among those that lose
# neither correct answers nor buttons against the two readings, dev unchanged).
SENTENCE_SHARE = 1 / 3  # fused = 0.4 learned + 0.2 sentences + 0.4 lexical
# One piece of a long message: its words, and the learned model's (probabilities, in-scope) reading of it.
Part = tuple[list[str], tuple[np.ndarray, np.ndarray]]
_ZERO = np.zeros(1, dtype=np.int64)  # the first start of a postings table
_ELISIONS = ("qu", "j", "l", "d", "m", "t", "s", "n", "c")
_ELISION_BEFORE = frozenset("aeiouyh")


def reading_of(normalizer: Normalizer, stemmer: Stemmer, text: str) -> frozenset[str]:
    """The stems the matcher indexes for `text`: two texts with the same reading cannot be told apart.

    The same steps as `Matcher._build_index` (lexicon, age bands, function
    words out, stems), for the knowledge checks: « t'es un robot ? » and
    « tu es un robot » are one reading, so under two entries they toss a coin.
    """
    words = with_age_bands(normalizer.words(text))
    return frozenset(stemmer.stem(w) for w in words if w not in _EFFECTIVE_STOPWORDS)


@dataclass(frozen=True)
class Settings:
    """The matcher's few knobs, tuned on the development set (see bench/eval.py)."""

    abstain_below: int = 30  # under this score the bot says it does not know
    answer_from: int = 45  # from this score it answers; in between it offers choices
    close_margin: int = 6  # runner-ups within this many points are offered too
    phrasing_weight: float = 0.5  # best phrasing vs. whole-entry vocabulary
    oov_weight: float = 2.5  # weight of a question word the knowledge base never uses
    fuzzy_cutoff: int = 80
    recall_beta: float = 3.0  # >1 favours phrasings the question covers whole, over short questions
    association_k: float = 2.0  # a word in k of an entry's phrasings counts half
    lone_word_min_texts: int = 5  # a word alone is offered as a button of the entries it recurs in this often
    shared_word_share: float = 0.66  # a lone word in this share of the rights' texts names none of them alone
    # With a learned model (values chosen on the development set: python bench/tune.py).
    learned_weight: float = 0.5  # fused = w * learned probability + (1 - w) * lexical score
    fused_answer_from: float = 0.0  # fused value from which the bot answers
    fused_floor: float = 0.08  # entries under this fused value are never offered as buttons (dev + stories)
    offtopic_margin: float = -0.2  # too weak to answer when off-topic scores above ratio x best entry + margin
    offtopic_ratio: float = 1.0  # < 1: the lead asked of the best entry shrinks with it (long messages score low)
    runner_up_ratio: float = 0.4  # an answered question also offers entries this close to the answer (dev + CV)
    answer_gap: float = 0.0  # the best entry must lead the next one by this fused value, else buttons for both
    close_call_below: int = 60  # an answer scored under this whose runner-up is within close_call_margin points...
    close_call_margin: int = 5  # ... becomes buttons for both (picked by a cost fixed first: bench/close_calls.py)
    second_need_from: float = 0.35  # a part of a long message holding another need this clearly
    second_need_min_words: int = 10
    clause_min_words: int = 25  # a story this long that hesitates is read clause by clause, rights first
    clause_answer_from: float = 0.45  # a clause's need is answered from here, else offered first (bench/stories.py)
    clause_answer_rank: int = 1  # ... and only if the whole reads it best (1) or among its N best rights
    unbacked_below: int = 70  # three readings: an answer under this that neither words nor meaning read best: buttons
    polite_meaning_from: float = 0.5  # three readings: a polite message whose meaning reads an intent this clearly: it
    lone_meaning_from: float = 0.5  # three readings: one unknown word whose meaning reads an intent this clearly: it
    part_weight: float = 0.0  # a part's reading against the whole's; measured 1.0 (max over parts): no gain, kept off
    calibration: tuple[float, float] = (5.13, 0.306)  # score = 100 / (1 + exp(-a * (fused - b)))


def sentence_settings(settings: Settings) -> Settings:
    """`settings` with the values chosen for three readings (see `SENTENCE_SHARE`): the fused scale moves."""
    return replace(settings, learned_weight=0.6, offtopic_margin=-0.25, offtopic_ratio=1.0)


@dataclass
class Match:
    """What the matcher understood; `entry_id` is None when it abstains or hesitates."""

    entry_id: str | None
    score: int
    suggestions: list[str] = field(default_factory=list)
    quartier: str | None = None
    quartier_candidates: tuple[str, ...] = ()
    quartier_left: tuple[str, ...] = ()  # quartiers of places the resident says they left ("j'habite plus à …")
    normalized: str = ""
    best_guess: str | None = None
    ranking: list[tuple[str, int]] = field(default_factory=list)
    offtopic: str | None = None  # id of the off-topic entry when the question is outside the bot's field
    second_need: str | None = None  # another need the same message holds, offered as "Et aussi : ..."
    place_only: bool = False  # the message only says where the resident lives ("j'habite à Lambé")
    place_name: str = ""  # the place name as the resident wrote it (folded), for a confirmation
    no_content: bool = False  # letters, but no word that can name a need ("a", "aaaa", "euh", "quoi")

    @property
    def hesitates(self) -> bool:
        return self.entry_id is None and bool(self.suggestions)


def _no_entry(
    guess: QuartierGuess, normalized: str, *, place_only: bool = False, place_name: str = "", no_content: bool = False
) -> Match:
    """A reading that answers with no entry: a place said alone, or a message that says nothing.

    It still carries the quartier the message names: a place said alone is
    what the core notes or confirms.
    """
    return Match(
        entry_id=None,
        score=0,
        quartier=guess.quartier,
        quartier_candidates=guess.candidates,
        quartier_left=guess.left_quartiers,
        normalized=normalized,
        place_only=place_only,
        place_name=place_name,
        no_content=no_content,
    )


class Matcher:
    def __init__(
        self,
        kb: KnowledgeBase,
        settings: Settings | None = None,
        learned: LearnedModel | None = None,
        keep_read_texts: bool = False,
        cache: ModelCache | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.kb = kb
        self.normalizer = Normalizer(Lexicon(kb.lexicon))
        self.gazetteer = Gazetteer(kb)
        self._stemmer = Stemmer()
        # (normalised text, entry id) of every text indexed, when a learned model will be trained on them
        self._read_texts: tuple[list[str], list[str]] | None = ([], []) if keep_read_texts else None
        # Read back from `cache` when this content was indexed by this code before (lexical_cache.py).
        build_or_read_index(self, cache, self._build_index, also=("_read_texts",))
        self._resolve = lru_cache(maxsize=16384)(self._resolve_word)
        self._offtopic_mask = np.array([e in self._offtopic for e in self.entry_ids], dtype=bool)
        self._intent_mask = np.array([self.kb.entries[e].kind == "intent" for e in self.entry_ids], dtype=bool)
        self.learned: LearnedModel | None = None
        self.sentences: SentenceEvidence | None = None
        if learned is not None:
            self.attach_learned(learned)

    def take_read_texts(self) -> tuple[list[str], list[str]] | None:
        """The texts the index read, normalised, with their entry (once: the matcher forgets them).

        Reading 64,000 phrasings is a large part of building a 1,000-entry
        base; the learned model trains on the very same normalised texts, so
        they are read once and handed over (`keep_read_texts=True`).
        """
        texts, self._read_texts = self._read_texts, None
        return texts

    def attach_learned(self, learned: LearnedModel) -> None:
        """Fuse with `learned` from now on, if it was trained on this base's entries."""
        if sorted(learned.labels) != self.entry_ids:
            return  # a model of another base's content would give other entries' odds
        self._learned_order = np.array([learned.labels.index(e) for e in self.entry_ids])
        self.learned = learned

    def attach_sentences(self, sentences: SentenceEvidence) -> None:
        """Read whole messages by their meaning too (a third reading), if the learned model is attached.

        The sentence reading joins the learned side (`SENTENCE_SHARE`), and the
        off-topic test moves to the values chosen for three readings
        (`sentence_settings`): the fused values are on another scale.
        """
        if self.learned is None or sorted(sentences.labels) != self.entry_ids:
            return
        self._sentence_order = np.array([sentences.labels.index(e) for e in self.entry_ids])
        self.sentences = sentences
        self.settings = sentence_settings(self.settings)

    # ------------------------------------------------------------------ index

    def _build_index(self) -> None:
        """Flat integer arrays, not Python sets: 10,000 entries must index in little memory."""
        entry_ids: list[str] = []
        term_ids: dict[str, int] = {}
        pair_term, pair_doc, doc_entry = array("i"), array("i"), array("i")
        # Per (entry, term): in how many of the entry's phrasings the word appears.
        pair_entries, pair_terms, counts = array("i"), array("i"), array("i")
        surface_to_stem: dict[str, str] = {}
        word_term: dict[str, int] = {}  # each surface word's term, looked up once: the index reads ~1M words
        lone_terms: set[int] = set()  # terms that are a whole phrasing, title or keyword on their own
        lone_owners: dict[int, set[str]] = {}  # ... and the entries they are one of
        intent_lone_terms: dict[str, frozenset[int]] = {}  # an intent's words said alone: "stop", "merci"
        intent_vocabulary: dict[str, frozenset[int]] = {}  # ... and all the words of its texts
        n_docs = 0
        for index, (entry_id, entry) in enumerate(sorted(self.kb.entries.items())):
            entry_ids.append(entry_id)
            entry_counts: dict[int, int] = {}
            entry_lone: set[int] = set()
            for text in (*self.kb.phrasings_of(entry_id), entry.title, *entry.keywords):
                phrase_terms: set[int] = set()
                words = with_age_bands(self.normalizer.words(text))
                if self._read_texts is not None and words:
                    self._read_texts[0].append(" ".join(words))
                    self._read_texts[1].append(entry_id)
                for word in words:
                    term = word_term.get(word)
                    if term is None:
                        if word in _EFFECTIVE_STOPWORDS:
                            continue
                        stem = surface_to_stem.setdefault(word, self._stemmer.stem(word))
                        term = word_term[word] = term_ids.setdefault(stem, len(term_ids))
                    phrase_terms.add(term)
                if not phrase_terms:
                    continue
                if len(phrase_terms) == 1:
                    entry_lone.update(phrase_terms)
                    lone_terms.update(phrase_terms)
                    lone_owners.setdefault(next(iter(phrase_terms)), set()).add(entry_id)
                pair_term.extend(phrase_terms)
                pair_doc.extend([n_docs] * len(phrase_terms))
                doc_entry.append(index)
                n_docs += 1
                for term in phrase_terms:
                    entry_counts[term] = entry_counts.get(term, 0) + 1
            if entry.kind == "intent" and entry_lone:
                intent_lone_terms[entry_id] = frozenset(entry_lone)
                intent_vocabulary[entry_id] = frozenset(entry_counts)
            pair_entries.extend([index] * len(entry_counts))
            pair_terms.extend(entry_counts)
            counts.extend(entry_counts.values())
        self.entry_ids = entry_ids
        self._offtopic = {e.id for e in self.kb.entries.values() if e.offtopic}
        self._surface_to_stem = surface_to_stem
        self._surfaces = list(surface_to_stem)
        self._term_id = term_ids
        self._lone_stems = frozenset(stem for stem, term in term_ids.items() if term in lone_terms)
        self._lone_owners = {term: frozenset(owners) for term, owners in lone_owners.items()}
        self._intent_lone_terms = intent_lone_terms
        self._intent_vocabulary = intent_vocabulary
        self._n_docs = n_docs
        n_terms, n_entries = len(term_ids), max(1, len(entry_ids))
        # Views on the arrays built above, not copies, and temporaries freed as
        # soon as possible: the peak memory of indexing is what limits its size.
        self._doc_entry = np.frombuffer(doc_entry, dtype=np.int32)
        terms = np.frombuffer(pair_term, dtype=np.int32)
        docs = np.frombuffer(pair_doc, dtype=np.int32)
        entry_of_pair = np.frombuffer(pair_entries, dtype=np.int32)
        term_of_pair = np.frombuffer(pair_terms, dtype=np.int32)
        df = np.bincount(term_of_pair, minlength=n_terms)
        idf = np.log((n_entries + 1) / np.maximum(df, 1)) + 0.1
        self._idf = {stem: float(idf[i]) for stem, i in term_ids.items()}
        self._doc_weight = np.bincount(docs, weights=idf[terms], minlength=n_docs)

        # Postings sorted by term, read as slices [start[t]:start[t + 1]].
        order = np.argsort(terms, kind="stable")
        self._doc_post = docs[order]
        del order
        self._doc_start = np.concatenate((_ZERO, np.cumsum(np.bincount(terms, minlength=n_terms))))
        del terms, docs, pair_term, pair_doc
        # How strongly a word belongs to an entry: a word in many of its phrasings
        # ("rsa" for the RSA) counts fully, a word in one phrasing only partly.
        strength = np.frombuffer(counts, dtype=np.int32).astype(np.float32)
        strength /= strength + np.float32(self.settings.association_k)
        order = np.argsort(term_of_pair, kind="stable")
        self._entry_post = entry_of_pair[order]
        self._entry_strength = strength[order]
        self._entry_start = np.concatenate((_ZERO, np.cumsum(df)))

    # ------------------------------------------------------------------ query

    def _resolve_word(self, word: str) -> tuple[str | None, float]:
        """Map one question word to a vocabulary stem, with a confidence in [0, 1]."""
        stem = self._surface_to_stem.get(word) or self._stemmer.stem(word)
        if stem in self._idf:
            return stem, 1.0
        for prefix in _ELISIONS:  # "jhabite", "lapl", "quil": elision typed without apostrophe
            rest = word[len(prefix) :]
            # French elides only before a vowel or a mute h: "stop" is not "s'top".
            if word.startswith(prefix) and len(rest) >= 3 and rest[0] in _ELISION_BEFORE:
                rest_stem = self._surface_to_stem.get(rest) or self._stemmer.stem(rest)
                if rest_stem in self._idf:
                    return rest_stem, 1.0
        if len(word) < 4 or word.isdigit() or not self._surfaces:
            return None, 0.0
        cutoff = self.settings.fuzzy_cutoff if len(word) >= 6 else 88
        hit = process.extractOne(word, self._surfaces, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit is None:
            return None, 0.0
        return self._surface_to_stem[hit[0]], (hit[1] / 100.0) ** 2

    def _content_words(self, words: list[str]) -> list[str]:
        """The words that can say which entry is meant: no function words, no politeness around a need."""
        content = [w for w in words if w not in _EFFECTIVE_STOPWORDS]
        if any(w not in POLITENESS for w in content):
            content = [w for w in content if w not in POLITENESS]
        # "2 enfants", "6 mois": the number says nothing about the topic
        return [w for w in content if not (w.isdigit() and len(w) < 3)]

    def _says_nothing(self, text: str, guess: QuartierGuess) -> bool:
        """Letters typed, but not one word that can name a need: "a", "aaaa", "euh", "et toi".

        Read by the model, such a message is only character n-grams: "a" came
        out as a confident goodbye (the bare "a" of "a+"), "non" as the
        simulator. Nothing answers it; the resident is asked to say more. Letter
        formulas are kept here ("je vous remercie" is thanks, not nothing), and
        a short unknown token ("aa", "zz") counts as no word; a longer unknown
        word ("hmm", an acronym the base lacks) is left to the matcher.
        """
        if not any(ch.isalpha() for ch in text):
            return False  # numbers and signs are the conversation's business (a typed choice, a phone number)
        folded = fold(text).split()
        for start, end in guess.spans:
            folded[start:end] = [""] * (end - start)
        content = self._content_words(self.normalizer.lexicon.rewrite([w for w in folded if w]))
        return all(len(word) <= 2 and self._resolve(word)[0] is None for word in content)

    def _lone_word_topics(self, words: list[str]) -> list[str] | None:
        """For a message of one word that names no entry on its own, the entries it is a topic of.

        "arrêter", "retour" or "quitter" are each only part of a few phrasings
        ("arrêter mes études"): answering them as that right is a guess about
        what the resident left out. Such a word is never answered; it is
        offered as buttons only for the entries where it recurs ("loyer" in
        the housing entries). None when the rule does not apply: several
        words, or a word that is a whole phrasing, title or keyword ("rsa",
        "merci").
        """
        content = [w for w in words if w not in _EFFECTIVE_STOPWORDS and not (w.isdigit() and len(w) < 3)]
        if len(content) != 1:  # "merci beaucoup madame": politeness counts here, it is the message
            return None
        stem, _ = self._resolve(content[0])
        if stem in self._lone_stems:
            return None
        if stem is None:
            return []
        term = self._term_id[stem]
        span = slice(self._entry_start[term], self._entry_start[term + 1])
        entries, strengths = self._entry_post[span], self._entry_strength[span]
        least = self.settings.lone_word_min_texts
        least_strength = least / (least + self.settings.association_k)
        order = np.argsort(-strengths, kind="stable")
        return [
            self.entry_ids[entries[i]]
            for i in order
            if strengths[i] >= least_strength - 1e-6 and self.entry_ids[entries[i]] not in self._offtopic
        ][:3]

    def _query_terms(self, words: list[str]) -> tuple[dict[str, float], float]:
        """Question stems with their weights, and the total weight of the question."""
        weights: dict[str, float] = {}
        total = 0.0
        for word in self._content_words(words):
            stem, confidence = self._resolve(word)
            if stem is None:
                total += self.settings.oov_weight
                continue
            weight = self._idf[stem] * confidence
            if weight > weights.get(stem, 0.0):
                total += weight - weights.get(stem, 0.0)
                weights[stem] = weight
        return weights, total

    def score_entries(self, words: list[str]) -> np.ndarray:
        """A 0..1 score per entry (in `self.entry_ids` order)."""
        n_entries = len(self.entry_ids)
        weights, total = self._query_terms(words)
        if not weights or total <= 0 or n_entries == 0:
            return np.zeros(n_entries)
        # Only the phrasings that share a word with the question are scored:
        # the work grows with the question, not with the knowledge base.
        entry_matched = np.zeros(n_entries)
        postings, posting_weights = [], []
        for stem, weight in weights.items():
            term = self._term_id[stem]
            docs = self._doc_post[self._doc_start[term] : self._doc_start[term + 1]]
            postings.append(docs)
            posting_weights.append(np.full(len(docs), weight))
            span = slice(self._entry_start[term], self._entry_start[term + 1])
            entry_matched[self._entry_post[span]] += weight * self._entry_strength[span]
        touched, slot = np.unique(np.concatenate(postings), return_inverse=True)
        matched = np.bincount(slot, weights=np.concatenate(posting_weights))
        precision = matched / total
        recall = np.minimum(1.0, matched / self._doc_weight[touched])
        beta2 = self.settings.recall_beta**2
        f1 = (1 + beta2) * precision * recall / np.maximum(beta2 * precision + recall, 1e-9)
        best_phrasing = np.zeros(n_entries)
        np.maximum.at(best_phrasing, self._doc_entry[touched], f1)
        coverage = entry_matched / total
        alpha = self.settings.phrasing_weight
        return alpha * best_phrasing + (1 - alpha) * coverage

    def match(self, text: str) -> Match:
        """Understand one question: best entry (or none), alternatives, quartier."""
        match = self._understand(text)
        if match.offtopic is None and not match.place_only and (match.entry_id or match.suggestions):
            if frames_as_statistics_or_news(text):
                self._decline_as_framed(match)
        return match

    def _decline_as_framed(self, match: Match) -> None:
        """A question about a right as a fact of society (figures, news, school): declined, the right offered.

        The model reads the right's word and little else; the framing
        (`framing.py`) says nobody asks for it. The resident who did mean it is
        one tap away: the entry the matcher read is kept as the only button.
        """
        if not self._offtopic:
            return
        words = match.normalized.split()
        values = self._fused(words)[0] if self.learned is not None else self.score_entries(words)
        off_values = np.where(self._offtopic_mask, values, -np.inf)
        read = match.entry_id or match.best_guess or (match.suggestions[0] if match.suggestions else None)
        match.offtopic = self.entry_ids[int(np.argmax(off_values))]
        match.entry_id = None
        match.second_need = None
        match.best_guess = read
        match.suggestions = [read] if read is not None and not self._is_intent(read) else []

    def _understand(self, text: str) -> Match:
        """The whole reading of one message, before its framing is looked at."""
        guess = self.gazetteer.detect(text)
        words = self._words_without_places(text, guess)
        normalized = " ".join(w for w in words if w not in BAND_WORDS)  # what the laboratoire reads: the words typed
        if (guess.quartier or guess.candidates or guess.left) and is_place_statement(words, bool(guess.left)):
            return _no_entry(guess, normalized, place_only=True, place_name=guess.matched or guess.left[0])
        if self._says_nothing(text, guess):
            return _no_entry(guess, normalized, no_content=True)
        lone_topics = self._lone_word_topics(words)
        if lone_topics is not None:
            meant = self._intent_meant_by_an_unknown_word(text, words, guess, normalized) if not lone_topics else None
            return meant or self._hesitate_on_a_lone_word(lone_topics, words, guess, normalized)
        if self.learned is None:
            scores = self.score_entries(words)
            order = np.argsort(-scores, kind="stable")[:5]
            ranking = [(self.entry_ids[i], int(round(scores[i] * 100))) for i in order if scores[i] > 0]
            lexical = self._decide(ranking, guess, normalized)
            self._keep_a_lone_word_to_its_own_entries(lexical, words)
            return lexical
        views = self._views(text, words)
        # The sentence encoder reads the message as written; its parts are read by words only.
        meaning = self._meaning(text)
        evidence = [self._evidence(view, meaning if index == 0 else None) for index, view in enumerate(views)]
        fused_values, offtopic_value = self.fuse(evidence)
        match = self._decide_fused(fused_values, offtopic_value, guess, normalized)
        if meaning is not None:
            self._doubt_an_answer_no_reading_backs(match, fused_values, evidence[0][0], meaning)
        if len(words) >= self.settings.clause_min_words:
            self._rights_first_in_a_story(match, fused_values)
        self._keep_a_lone_word_to_its_own_entries(match, words)
        if match.entry_id is not None and not self._intent_says_it_all(match.entry_id, words, meaning):
            self._hold_back_the_intent(match)
        if len(views) > 1:
            parts = list(zip(views[1:], evidence[1:]))
            if match.entry_id is not None and not self._is_intent(match.entry_id):
                self._offer_second_need(match, parts)
            else:  # declined, hesitating or only polite on the whole: one part may still hold a clear need
                self._answer_the_need_inside(match, parts)
        if len(words) >= self.settings.clause_min_words and (match.entry_id is None or self._is_intent(match.entry_id)):
            self._read_clause_by_clause(match, text, fused_values)
        return match

    def _rights_first_in_a_story(self, match: Match, fused: np.ndarray) -> None:
        """The buttons of a hesitating story are the rights and services it may be about, before any intent.

        A story says "je ne sais pas à qui m'adresser", "personne ne me répond",
        "merci d'avance": words of the bot's own intents (help on the bot, a
        person, thanks) that take button places from the rights the story is
        about. Intents keep only the places no right or service fills.
        """
        if match.entry_id is not None or match.offtopic is not None or not match.suggestions:
            return
        plausible = np.where(self._offtopic_mask | self._intent_mask, -1.0, fused)
        order = np.argsort(-plausible, kind="stable")[:3]
        rights = [self.entry_ids[i] for i in order if plausible[i] >= self.settings.fused_floor]
        intents = [e for e in match.suggestions if self._is_intent(e)]
        match.suggestions = list(dict.fromkeys([*rights, *intents]))[:3]

    def _is_intent(self, entry_id: str) -> bool:
        return self.kb.entries[entry_id].kind == "intent"

    def _rank_on_the_whole(self, entry_id: str | None, whole: np.ndarray) -> int:
        """0 when `entry_id` is the right or service the whole message reads best, 1 when second..."""
        if entry_id is None:
            return len(self.entry_ids)
        plausible = np.where(self._offtopic_mask | self._intent_mask, -1.0, whole)
        return int((plausible > plausible[self.entry_ids.index(entry_id)]).sum())

    def _read_clause_by_clause(self, match: Match, text: str, whole: np.ndarray) -> None:
        """A long story that gave no clear need, whole or by sentence: read each of its clauses alone.

        "je vous écris parce que depuis que je suis au chômage je peux plus payer
        la cantine des petits, merci d'avance": the need is one clause among
        circumstances and politeness, and read whole it is diluted (or the
        thanks win). The clearest clause is answered when it is clearly
        confident (`clause_answer_from`) and confirms what the whole reads
        best; else the clearest clause's entry comes first among the buttons.
        An off-topic decision of the whole message stands.
        """
        if match.offtopic is not None:
            return
        s = self.settings
        parts = [(words, self._evidence(words)) for words in self._fine_parts(text)]
        if len(parts) < 2:
            return
        need, _ = self._clearest_need(parts, None, least=s.fused_floor)
        if need is None:
            return
        confirmed = [part for part in parts if self._confirms_the_whole(part, whole)]
        answer, value = self._clearest_need(confirmed, None, least=s.clause_answer_from)
        if answer is not None:
            match.entry_id = match.best_guess = answer
            match.score = self.calibrated(value)
            match.suggestions = [e for e in match.suggestions if e != answer and not self._is_intent(e)][:2]
            return
        if match.entry_id is not None:  # only polite on the whole, a weak need inside: let the resident pick
            match.best_guess, match.entry_id = match.entry_id, None
        others = [e for e in match.suggestions if e != need]
        match.suggestions = [need, *others][:3]

    def _confirms_the_whole(self, part: Part, whole: np.ndarray) -> bool:
        """The clause's need is one the whole story already reads best (`clause_answer_rank`).

        Read alone, a side remark of a story ("je travaille à la cantine") can
        be very clear about the wrong thing; a clause is answered only when it
        makes precise what the whole message was hesitating on.
        """
        need, _ = self._clearest_need([part], None, least=self.settings.fused_floor)
        return self._rank_on_the_whole(need, whole) < self.settings.clause_answer_rank

    def _fine_parts(self, text: str) -> list[list[str]]:
        """The fine clauses of `text` (see `statements.fine_clauses`), read without place names."""
        parts = []
        for clause in fine_clauses(text):
            folded = clause.split()
            for start, end in self.gazetteer.detect(clause).spans:
                folded[start:end] = [""] * (end - start)
            read = self._read([w for w in folded if w])
            if read:
                parts.append(read)
        return parts

    def _keep_a_lone_word_to_its_own_entries(self, match: Match, words: list[str]) -> None:
        """A word that is a whole phrasing answers only as the entries it is a phrasing of, and only if it names one.

        "aide" alone shares its stem with the simulator's « mes aides »: it is a
        word of the base, so the lone-word rule lets it through, and the model
        then answered it as the housing aid with confidence. A resident who
        types one word said nothing more than that word: answering another
        entry than the ones it names is a guess, so it becomes a choice between
        them and the model's pick.

        Answering the entry it is a phrasing of is a guess too when the word is
        in the texts of most rights ("aide", "droits", "papiers"): which entry
        the model then prefers moves with every phrasing a mediator adds
        elsewhere, so such a word always gets buttons, its own entries first,
        whatever the model's confidence. A word an intent is said in ("bonjour",
        "stop") is the whole message and keeps its answer, and so is thanks or
        a greeting around the word ("merci pour votre aide").
        """
        if match.offtopic is not None or (match.entry_id is None and not match.suggestions):
            return
        if match.entry_id is not None and self._is_intent(match.entry_id) and not POLITENESS.isdisjoint(words):
            return  # "merci pour votre aide": the politeness around the word is the message
        content = self._content_words(words)
        if len(content) != 1:
            return
        stem, _ = self._resolve(content[0])
        if stem is None:
            return
        term = self._term_id[stem]
        owners = self._lone_owners.get(term, frozenset())
        shared = self._names_no_entry_alone(term, owners)
        if not owners or (match.entry_id in owners and not shared) or (match.entry_id is None and not shared):
            return
        choices = [e for e in sorted(owners) if not self.kb.entries[e].offtopic][:2]
        picked = [match.entry_id] if match.entry_id is not None else []
        match.suggestions = list(dict.fromkeys([*choices, *picked, *match.suggestions]))[:3]
        match.best_guess = match.entry_id or match.best_guess
        match.entry_id = None
        match.second_need = None

    def _names_no_entry_alone(self, term: int, owners: frozenset[str]) -> bool:
        """Whether a lone word is in the texts of so many rights and services that it names none of them.

        Measured as a share of the in-scope entries (not intents, not
        off-topic) whose phrasings, title or keywords hold the word, so the rule
        holds on a base of 10 entries as on one of 1,000, and does not move with
        how many phrasings one entry has. Words an intent is said in are never
        "shared": "bonjour" opens the phrasings of half the base and still is a
        greeting when it is the whole message.
        """
        if any(self.kb.entries[e].kind == "intent" for e in owners):
            return False
        rights = ~self._offtopic_mask & ~self._intent_mask
        n_rights = int(rights.sum())
        if n_rights == 0:
            return False
        holders = self._entry_post[self._entry_start[term] : self._entry_start[term + 1]]
        return int(rights[holders].sum()) >= self.settings.shared_word_share * n_rights

    def _intent_says_it_all(self, intent_id: str, words: list[str], meaning: np.ndarray | None = None) -> bool:
        """An intent said in one word is the whole message or nothing: "stop" is, "arrêter de fumer" is not.

        Stop, thanks, greetings and goodbyes are said in a word of their own
        (a phrasing of one word: "stop", "merci"). When the message holds such
        a word but most of its content words are none of the intent's words,
        the resident is asking about something else that merely shares a word
        with it ("je voudrais arrêter de fumer"). A message that holds none of
        them ("comment on fait pour vous poser une question") is left to the
        model. This reads which words the intent is said in alone, not how
        many of its phrasings are one word long: adding sentences to
        `arreter.yaml` does not switch the rule off.
        """
        content = self._content_words(words)
        if not content:
            return True
        lone = self._intent_lone_terms.get(intent_id)
        if lone is None:
            return True
        said = [w for w in words if w not in _EFFECTIVE_STOPWORDS]  # "bonjour" is said, though only politeness
        if not any(self._term_of(word) in lone for word in said):
            return True
        own = self._intent_vocabulary[intent_id]
        if sum(self._term_of(word) in own for word in content) * 2 > len(content):
            return True
        return self._polite_and_meant(intent_id, words, meaning)

    def _polite_and_meant(self, intent_id: str, words: list[str], meaning: np.ndarray | None) -> bool:
        """A polite message that the sentence reading clearly reads as this intent: « merci c'est très clair ».

        The word count above holds « merci » back as mere politeness and asks
        most other words to be the intent's own; « clair », « je vous dis »
        rarely are, so such thanks got no reply at all (on the base's
        cross-validation, about 20 of its thanks, greetings and goodbyes,
        answered right by the fused reading, then held back). The meaning of
        the whole message tells a thanks from a request that shares a word with
        an intent: only when the message holds a greeting or thanks word and the
        encoder reads this intent best among the rights, services and intents,
        at `polite_meaning_from` or more. « Je voudrais arrêter de fumer » has
        no such word and stays held back whatever the encoder reads.
        """
        if meaning is None or POLITENESS.isdisjoint(words):
            return False
        index = self.entry_ids.index(intent_id)
        return bool(self._best_meant(meaning) == index and meaning[index] >= self.settings.polite_meaning_from)

    def _term_of(self, word: str) -> int | None:
        """The index's term for a question word, None when the base has no word like it."""
        stem, _ = self._resolve(word)
        return None if stem is None else self._term_id[stem]

    def _hold_back_the_intent(self, match: Match) -> None:
        """Not answered: the entries that follow it are offered if plausible, else nothing is."""
        match.entry_id = None
        match.suggestions = [e for e in match.suggestions if self.kb.entries[e].kind != "intent"]

    def _best_meant(self, meaning: np.ndarray) -> int:
        """The entry the sentence reading reads best among rights, services and intents (off-topic left out)."""
        return int(np.argmax(np.where(self._offtopic_mask, -np.inf, meaning)))

    def _intent_meant_by_an_unknown_word(
        self, text: str, words: list[str], guess: QuartierGuess, normalized: str
    ) -> Match | None:
        """One word that names no entry, which the sentence reading clearly reads as an intent: « danke », « salam ».

        A lone word is never answered as a right from a guess (see
        `_lone_word_topics`); one the index does not know, or knows from too
        few texts to offer any entry, got no reply at all.
        Residents greet, thank and take leave in their own languages; the
        multilingual encoder knows « gracias », « obrigado » or « bises ». Only
        an intent (greeting, thanks, goodbye, help on the bot…) is answered
        this way, never a right or a service, and only when the encoder reads
        it best at `lone_meaning_from` or more. On the base's cross-validation
        this answered 18 more phrasings right and 3 more wrong (« trugarez »,
        Breton thanks, read as a goodbye), dev and every held-out set unchanged.
        """
        meaning = self._meaning(text)
        if meaning is None:
            return None
        index = self._best_meant(meaning)
        if not self._intent_mask[index] or meaning[index] < self.settings.lone_meaning_from:
            return None
        fused, _ = self.fuse([self._evidence(words, meaning)])
        intent = self.entry_ids[index]
        match = _no_entry(guess, normalized)
        match.entry_id = match.best_guess = intent
        match.score = self.calibrated(float(fused[index]))
        return match

    def _hesitate_on_a_lone_word(
        self, topics: list[str], words: list[str], guess: QuartierGuess, normalized: str
    ) -> Match:
        """No answer to a lone word that names nothing; buttons for the entries it recurs in, if any."""
        if self.learned is not None:
            fused, _ = self._fused(words)
        else:
            fused = self.score_entries(words)
        value = {entry_id: float(fused[i]) for i, entry_id in enumerate(self.entry_ids)}
        topics = sorted(topics, key=lambda e: -value[e])
        best = topics[0] if topics else None
        score = 0
        if best is not None:
            score = self.calibrated(value[best]) if self.learned is not None else int(round(value[best] * 100))
        return Match(
            entry_id=None,
            score=score,
            suggestions=topics,
            quartier=guess.quartier,
            quartier_candidates=guess.candidates,
            quartier_left=guess.left_quartiers,
            normalized=normalized,
            best_guess=best,
        )

    # ------------------------------------------------------------------ fused with the learned model

    def _views(self, text: str, words: list[str]) -> list[list[str]]:
        """The whole message, then each of its parts when it is long enough to tell several things.

        A long story read as a whole dilutes every need in it: the learned
        model spreads its probability, the lexical precision falls with each
        word of the story. Each part is read alone as well (without its place
        names and formulas), and an entry keeps its clearest reading.
        """
        if len(words) < self.settings.second_need_min_words:
            return [words]
        parts = clauses(fold(text), [fold(sentence) for sentence in sentences_of(text)])
        if len(parts) < 2:
            return [words]
        views = [words]
        for part in parts:
            folded = part.split()
            for start, end in self.gazetteer.detect(part).spans:
                folded[start:end] = [""] * (end - start)
            read = self._read([w for w in folded if w])
            if read:
                views.append(read)
        return views

    def _meaning(self, text: str) -> np.ndarray | None:
        """The sentence reading's above-chance values of the message as written, in entry order (None when off)."""
        if self.sentences is None:
            return None
        return self._above_chance(self.sentences.probabilities(text)[self._sentence_order])

    def _evidence(self, words: list[str], meaning: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Lexical scores and the learned side's above-chance probabilities, in entry order.

        With `meaning` (the sentence reading of the whole message), the learned
        side mixes the n-gram model with the sentence encoder.
        """
        assert self.learned is not None
        lexical = self.score_entries(words)
        probabilities = self._above_chance(self.learned.probabilities(" ".join(words))[self._learned_order])
        if meaning is not None:
            probabilities = (1 - SENTENCE_SHARE) * probabilities + SENTENCE_SHARE * meaning
        return lexical, probabilities

    def _doubt_an_answer_no_reading_backs(
        self, match: Match, fused: np.ndarray, lexical: np.ndarray, meaning: np.ndarray
    ) -> None:
        """An unsure answer that neither the words nor the meaning read best becomes buttons.

        The fused value can put first an entry that only the n-gram model
        prefers; when the lexical index and the sentence encoder each read
        another entry best and the answer's score is under `unbacked_below`,
        more such answers were wrong than right on the base's cross-validation
        (`bench/sentence_evidence.py`: 25 wrong and 20 right of 8,709 at 70,
        dev unchanged). « Vous voulez parler de… ? » with the answer, the
        meaning's pick and the next entry costs a tap; a wrong desk costs more.
        """
        if match.entry_id is None or match.score >= self.settings.unbacked_below:
            return
        answer = self.entry_ids.index(match.entry_id)
        words_pick = int(np.argmax(np.where(self._offtopic_mask, -np.inf, lexical)))
        meaning_pick = int(np.argmax(np.where(self._offtopic_mask, -np.inf, meaning)))
        if answer in (words_pick, meaning_pick):
            return
        in_scope = np.where(self._offtopic_mask, -1.0, fused)
        best = [int(i) for i in np.argsort(-in_scope, kind="stable")[:3] if in_scope[i] >= self.settings.fused_floor]
        buttons = list(dict.fromkeys([answer, meaning_pick, *best]))[:3]
        match.entry_id = None
        match.suggestions = [self.entry_ids[i] for i in buttons]

    def fuse(self, evidence: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, float]:
        """Fused value per entry over the readings of a message, and the off-topic side's value.

        Each entry keeps its best reading (whole message or one part, weighted
        by `part_weight`); the off-topic side is judged on the whole message,
        where the context that makes a right's word off-topic is.
        """
        weight = self.settings.learned_weight
        off = self._offtopic_mask
        fused = np.zeros(len(self.entry_ids))
        offtopic = 0.0
        for index, (lexical, probabilities) in enumerate(evidence):
            value = weight * probabilities + (1 - weight) * lexical
            if index == 0:
                fused = value
                offtopic = weight * probabilities[off].sum() + (1 - weight) * lexical[off].max() if off.any() else 0.0
            else:
                fused = np.maximum(fused, np.where(off, 0.0, self.settings.part_weight * value))
        return fused, float(offtopic)

    def _fused(self, words: list[str]) -> tuple[np.ndarray, float]:
        """Fused value per entry (off-topic entries included) and the off-topic side's own value."""
        return self.fuse([self._evidence(words)])

    def _above_chance(self, probabilities: np.ndarray) -> np.ndarray:
        """How far above a flat guess each probability is, from 0 to 1.

        On 7 entries a question the model knows nothing about still gets 1/7
        everywhere; on 57, 1/57. Only what is above chance is evidence, so the
        same thresholds hold for a small base and a large one.
        """
        chance = 1.0 / len(probabilities)
        return np.maximum(0.0, (probabilities - chance) / (1.0 - chance))

    def calibrated(self, fused: float) -> int:
        """A 0-100 score that estimates how often an answer at this fused value is right."""
        slope, middle = self.settings.calibration
        return int(round(100.0 / (1.0 + np.exp(-slope * (fused - middle)))))

    def _decide_fused(self, fused: np.ndarray, offtopic: float, guess: QuartierGuess, normalized: str) -> Match:
        s = self.settings
        in_scope = np.where(self._offtopic_mask, -1.0, fused)
        order = np.argsort(-fused, kind="stable")[:5]
        ranking = [(self.entry_ids[i], self.calibrated(fused[i])) for i in order if fused[i] > 0]
        best = np.argsort(-in_scope, kind="stable")[:3]
        top = float(in_scope[best[0]]) if len(best) else 0.0
        match = Match(
            entry_id=None,
            score=self.calibrated(top) if top > 0 else 0,
            quartier=guess.quartier,
            quartier_candidates=guess.candidates,
            quartier_left=guess.left_quartiers,
            normalized=normalized,
            best_guess=self.entry_ids[best[0]] if top > 0 else None,
            ranking=ranking,
        )
        if offtopic >= s.offtopic_ratio * top + s.offtopic_margin:
            # Too weak to answer against the off-topic side. When that side is ahead, decline
            # (offering the best entry if it is plausible); when the entries are still ahead,
            # hesitate between them: the resident picks, nothing is answered by mistake.
            if self._offtopic_mask.any() and offtopic >= max(top, s.fused_floor):
                off_scores = np.where(self._offtopic_mask, fused, -1.0)
                match.offtopic = self.entry_ids[int(np.argmax(off_scores))]
                if top >= s.fused_answer_from:
                    match.suggestions = [self.entry_ids[best[0]]]
            else:
                match.suggestions = [self.entry_ids[i] for i in best if in_scope[i] >= s.fused_floor]
            return match
        if top <= 0:
            return match
        if top >= s.fused_answer_from and not self._too_close_to_call(in_scope, best):
            match.entry_id = self.entry_ids[best[0]]
            match.suggestions = [
                self.entry_ids[i] for i in best[1:] if in_scope[i] >= max(s.fused_answer_from, s.runner_up_ratio * top)
            ]
        else:
            match.suggestions = [self.entry_ids[i] for i in best if in_scope[i] >= s.fused_floor]
        return match

    def _too_close_to_call(self, in_scope: np.ndarray, best: np.ndarray) -> bool:
        """Two entries nearly level: answering one is a coin toss, so the resident picks between buttons.

        A confident wrong answer costs more than a tap: when the runner-up is
        within `answer_gap` of the best entry, both are offered instead. And
        when the answer is itself unsure (calibrated score under
        `close_call_below`) with a runner-up within `close_call_margin`
        points. The two values are the ones a cost written down before
        measuring picks on cross-validation (`bench/close_calls.py`: a wrong
        answer, which sends the resident to the wrong desk, costs two
        hesitations). 70/10 made about 120 more buttons than 60/5 for a
        higher cost: more of the answers it held back were right than wrong.
        """
        s = self.settings
        if len(best) < 2:
            return False
        top, second = float(in_scope[best[0]]), float(in_scope[best[1]])
        if s.answer_gap > 0 and top - second < s.answer_gap:
            return True
        if second <= 0:
            return False
        score = self.calibrated(top)
        return score < s.close_call_below and score - self.calibrated(second) < s.close_call_margin

    def _clearest_need(
        self, parts: list[Part], besides: str | None, least: float | None = None
    ) -> tuple[str | None, float]:
        """The entry that one part of a long message asks for most clearly (not `besides`), if any."""
        best_id, best_value = None, self.settings.second_need_from if least is None else least
        for _, evidence in parts:
            fused, offtopic = self.fuse([evidence])
            in_scope = np.where(self._offtopic_mask, -1.0, fused)
            index = int(np.argmax(in_scope))
            entry_id, value = self.entry_ids[index], float(in_scope[index])
            if entry_id != besides and value >= best_value and offtopic < value:
                if self.kb.entries[entry_id].kind != "intent":
                    best_id, best_value = entry_id, value
        return best_id, best_value

    def _offer_second_need(self, match: Match, parts: list[Part]) -> None:
        """A long message telling two problems: offer the clearest other one as a button."""
        other, _ = self._clearest_need(parts, match.entry_id)
        if other is not None:
            match.second_need = other
            match.suggestions = [other, *[e for e in match.suggestions if e != other]][:3]

    def _answer_the_need_inside(self, match: Match, parts: list[Part]) -> None:
        """ "My washing machine broke and the CAF stopped my APL": the other part must not hide the need."""
        need, value = self._clearest_need(parts, None)
        if need is not None:
            match.offtopic = None
            match.entry_id = need
            match.best_guess = need
            match.score = self.calibrated(value)
            match.suggestions = [e for e in match.suggestions if e != need][:2]

    def _words_without_places(self, text: str, guess: QuartierGuess) -> list[str]:
        """Normalised words without place names nor letter formulas: "Bellevue" is not a topic."""
        folded = fold(text).split()
        for start, end in guess.spans:
            folded[start:end] = [""] * (end - start)
        return self._read([w for w in folded if w])

    def _read(self, folded_words: list[str]) -> list[str]:
        """Folded words as the matcher reads them: letter formulas out, the lexicon, then age bands."""
        return with_age_bands(self.normalizer.lexicon.rewrite(strip_formulas(folded_words)))

    def _decide(self, ranking: list[tuple[str, int]], guess: QuartierGuess, normalized: str) -> Match:
        s = self.settings
        match = Match(
            entry_id=None,
            score=ranking[0][1] if ranking else 0,
            quartier=guess.quartier,
            quartier_candidates=guess.candidates,
            quartier_left=guess.left_quartiers,
            normalized=normalized,
            best_guess=ranking[0][0] if ranking else None,
            ranking=ranking,
        )
        if ranking and ranking[0][0] in self._offtopic:
            return self._decline(match, ranking)
        if not ranking or match.score < s.abstain_below:
            return match
        ranking = [(e, sc) for e, sc in ranking if e not in self._offtopic]
        top_id, top = ranking[0]
        close = [entry for entry, score in ranking[1:4] if score >= top - s.close_margin and score >= s.abstain_below]
        if top >= s.answer_from:
            match.entry_id = top_id
            match.suggestions = close[:2]
        else:
            match.suggestions = [top_id] + [e for e, sc in ranking[1:3] if sc >= s.abstain_below]
        return match

    def _decline(self, match: Match, ranking: list[tuple[str, int]]) -> Match:
        """An off-topic phrasing won: say so, but offer a right that scored nearly as well."""
        match.offtopic = ranking[0][0]
        in_scope = [(e, sc) for e, sc in ranking if e not in self._offtopic]
        match.best_guess = in_scope[0][0] if in_scope else None
        match.score = in_scope[0][1] if in_scope else 0
        if in_scope and in_scope[0][1] >= self.settings.answer_from:
            match.suggestions = [in_scope[0][0]]
        return match
