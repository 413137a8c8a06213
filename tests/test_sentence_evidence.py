"""The matcher's optional third reading: a message read by its meaning (sentence encoder, nearest texts)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bot.knowledge.engine import Engine, build_matcher
from bot.knowledge.model import KnowledgeBase
from bot.understanding.matcher import Settings, sentence_settings
from bot.understanding.model_cache import ModelCache
from bot.understanding.sentence_evidence import SentenceEvidence, encode_all, sentence_evidence_for, sentence_texts


class EntryEncoder:
    """A made-up encoder: each knowledge-base text points to its entry's direction, chosen questions too.

    Anything else is read as pointing nowhere (a zero vector), as a real
    encoder reads a message it cannot make sense of.
    """

    def __init__(self, kb: KnowledgeBase, questions: dict[str, str] | None = None) -> None:
        texts, labels = sentence_texts(kb)
        self.entries = sorted(kb.entries)
        self.direction = {**dict(zip(texts, labels)), **(questions or {})}
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        vectors = np.zeros((len(texts), len(self.entries)), dtype=np.float32)
        for row, text in enumerate(texts):
            if text in self.direction:
                vectors[row, self.entries.index(self.direction[text])] = 1.0
        return vectors


def _arrays(labels: list[str], vectors: list[list[float]], owners: list[int]) -> dict[str, np.ndarray]:
    unit = np.array(vectors, dtype=np.float32)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    return {"labels": np.array(labels), "vectors": unit, "owner": np.array(owners)}


class FixedEncoder:
    def __init__(self, vector: list[float]) -> None:
        self.vector = vector

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.array([self.vector] * len(texts), dtype=np.float32)


@pytest.mark.parametrize(
    ("question", "expected"),
    [([1.0, 0.1], "logement"), ([0.1, 1.0], "sante")],
)
def test_the_nearest_texts_vote_for_their_entry(question: list[float], expected: str) -> None:
    arrays = _arrays(["logement", "sante"], [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], [0, 0, 1, 1])
    values = SentenceEvidence(arrays, FixedEncoder(question)).probabilities("peu importe")
    assert values.sum() == pytest.approx(1.0)
    assert ["logement", "sante"][int(np.argmax(values))] == expected


def test_a_message_the_encoder_cannot_read_votes_for_no_entry() -> None:
    arrays = _arrays(["logement", "sante"], [[1, 0], [0, 1]], [0, 1])
    values = SentenceEvidence(arrays, FixedEncoder([0.0, 0.0])).probabilities("???")
    assert values == pytest.approx([0.5, 0.5])


def test_the_base_is_encoded_once_per_content(engine: Engine, tmp_path) -> None:
    kb = engine.current.kb
    cache_dir = tmp_path / "cache"
    first = EntryEncoder(kb)
    assert sentence_evidence_for(kb, encoder=first, cache=ModelCache(cache_dir)) is not None
    assert first.encoded, "a fresh cache must encode the base"
    again = EntryEncoder(kb)
    assert sentence_evidence_for(kb, encoder=again, cache=ModelCache(cache_dir)) is not None
    assert again.encoded == [], "the same content must be read back from the cache"
    entry_id = sorted(kb.entries)[0]
    entry = kb.entries[entry_id]
    edited = dataclasses.replace(entry, phrasings=(*entry.phrasings, "une phrase ajoutée par une médiatrice"))
    changed = dataclasses.replace(kb, entries={**kb.entries, entry_id: edited})
    after_edit = EntryEncoder(changed)
    assert sentence_evidence_for(changed, encoder=after_edit, cache=ModelCache(cache_dir)) is not None
    assert "une phrase ajoutée par une médiatrice" in after_edit.encoded


def test_the_matcher_reads_by_words_only_unless_asked(engine: Engine) -> None:
    matcher = build_matcher(engine.current.kb, ModelCache())
    assert matcher.sentences is None
    assert matcher.settings == Settings()


def test_a_message_sharing_no_word_with_the_base_is_read_by_its_meaning(engine: Engine) -> None:
    kb = engine.current.kb
    rights = sorted(e.id for e in kb.entries.values() if e.kind == "right")
    meant = rights[0]
    question = "xq wvz plok trumz"  # no word, no letters in common with anything: only its meaning is known
    matcher = build_matcher(kb, ModelCache())
    assert matcher.learned is not None
    without = matcher.match(question)
    reading = sentence_evidence_for(kb, encoder=EntryEncoder(kb, {question: meant}), cache=ModelCache())
    assert reading is not None
    matcher.attach_sentences(reading)
    assert matcher.settings == sentence_settings(Settings())
    read = matcher.match(question)
    assert read.best_guess == meant
    assert read.score > without.score


class CountingEncoder:
    """A text's vector from its characters (a deterministic stand-in), each call's texts recorded."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)


@pytest.mark.parametrize("n_texts", [1, 63, 64, 65, 200])
def test_every_text_is_encoded_once_into_its_rows_whatever_the_batches(n_texts: int) -> None:
    distinct = [f"phrase numéro {i}" for i in range(n_texts)]
    texts = [*distinct, *distinct[::3]]  # repeated texts (a title also written as a phrasing)
    encoder = CountingEncoder()
    vectors = encode_all(encoder, texts)
    assert sorted(t for call in encoder.calls for t in call) == sorted(distinct)
    one_by_one = np.vstack([encode_all(CountingEncoder(), [t]) for t in texts])
    assert vectors.shape == (len(texts), 3) and np.allclose(vectors, one_by_one)


def test_texts_all_known_already_are_not_encoded_again() -> None:
    texts = ["aide au loyer", "la cantine", "aide au loyer"]
    known = {t: v for t, v in zip(texts, encode_all(CountingEncoder(), texts))}
    encoder = CountingEncoder()
    assert np.array_equal(encode_all(encoder, texts, known), encode_all(CountingEncoder(), texts))
    assert encoder.calls == []
