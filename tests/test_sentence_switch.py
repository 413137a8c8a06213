"""The sentence reading switches on in the background: the bot answers from the start, never waits for it."""

from __future__ import annotations

import copy
import threading
from pathlib import Path

import numpy as np
import pytest

from bot.config import load_settings
from bot.knowledge import load_knowledge
from bot.knowledge.engine import Engine
from bot.knowledge.model import KnowledgeBase
from bot.understanding.matcher import Match, Matcher
from bot.understanding.model_cache import ModelCache
from bot.understanding.sentence_evidence import SentenceEvidence, encode_all, sentence_evidence_for, sentence_texts


class EntryEncoder:
    """A made-up encoder: each knowledge-base text points to its entry's direction; it counts what it encodes."""

    def __init__(self, kb: KnowledgeBase) -> None:
        texts, labels = sentence_texts(kb)
        self.entries = sorted(kb.entries)
        self.direction = dict(zip(texts, labels))
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        vectors = np.zeros((len(texts), len(self.entries)), dtype=np.float32)
        for row, text in enumerate(texts):
            if text in self.direction:
                vectors[row, self.entries.index(self.direction[text])] = 1.0
        return vectors


class GatedReading:
    """An injected sentence reading that is ready only when the test opens its gate (no clock involved)."""

    def __init__(self, fail: bool = False) -> None:
        self.gate = threading.Event()
        self.fail = fail
        self.calls: list[SentenceEvidence | None] = []  # the `previous` reading each build was given

    def __call__(self, kb: KnowledgeBase, previous: SentenceEvidence | None) -> SentenceEvidence | None:
        self.gate.wait()
        self.calls.append(previous)
        if self.fail:
            raise RuntimeError("encodeur cassé")
        return sentence_evidence_for(kb, EntryEncoder(kb), ModelCache(), previous=previous)


def _engine(kb_dir: Path, read: GatedReading) -> Engine:
    return Engine.from_result(kb_dir, load_knowledge(kb_dir), cache=ModelCache(), read_meaning=read)


def test_the_bot_answers_before_the_reading_is_ready_then_reads_by_meaning(kb_dir: Path) -> None:
    read = GatedReading()
    engine = _engine(kb_dir, read)
    first = engine.current
    assert first.matcher.sentences is None
    assert first.matcher.match("mutuelle gratuite").entry_id == "css"  # answered now, by the two readings

    read.gate.set()
    assert engine.wait_for_sentences()
    assert engine.current.matcher.sentences is not None
    assert first.matcher.sentences is None  # the snapshot being served was never changed in place
    assert engine.current.kb is first.kb


def test_a_broken_encoder_leaves_the_bot_answering_without_it(kb_dir: Path) -> None:
    read = GatedReading(fail=True)
    engine = _engine(kb_dir, read)
    read.gate.set()
    assert not engine.wait_for_sentences()
    assert engine.current.matcher.match("mutuelle gratuite").entry_id == "css"


def test_a_reload_keeps_the_last_good_reading_until_the_new_one_is_ready(kb_dir: Path) -> None:
    read = GatedReading()
    engine = _engine(kb_dir, read)
    read.gate.set()
    assert engine.wait_for_sentences()
    last_good = engine.current.matcher.sentences

    read.gate.clear()
    path = kb_dir / "droits" / "css.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("  - CSS\n", "  - CSS\n  - complementaire piscine\n"), encoding="utf-8"
    )
    assert engine.reload().ok
    assert engine.current.matcher.sentences is last_good  # same entries: the last good reading serves meanwhile
    assert engine.current.matcher.match("complementaire piscine").entry_id == "css"  # the new base answers

    read.gate.set()
    assert engine.wait_for_sentences()
    assert engine.current.matcher.sentences is not last_good
    assert read.calls[-1] is last_good  # built from the last one, whose vectors it reuses


def test_a_reading_finished_after_a_newer_reload_is_never_swapped_in(kb_dir: Path) -> None:
    read = GatedReading()
    engine = _engine(kb_dir, read)
    path = kb_dir / "droits" / "css.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert engine.reload().ok
    newest = engine.current
    read.gate.set()
    assert engine.wait_for_sentences()
    assert engine.current.kb is newest.kb  # the first base's reading, finished first, did not win the swap
    assert engine.current.matcher.sentences is not None


def test_without_a_learned_model_no_reading_is_built(kb_dir: Path) -> None:
    read = GatedReading()
    read.gate.set()
    engine = Engine.from_result(kb_dir, load_knowledge(kb_dir), cache=ModelCache(), learn=False, read_meaning=read)
    assert not engine.wait_for_sentences()
    assert read.calls == []


def test_a_reload_encodes_only_the_texts_the_last_reading_did_not_hold(kb_dir: Path) -> None:
    kb = load_knowledge(kb_dir).kb
    before = sentence_evidence_for(kb, EntryEncoder(kb), ModelCache())
    assert before is not None
    texts, _ = sentence_texts(kb)
    encoder = EntryEncoder(kb)
    vectors = encode_all(encoder, [*texts, "une phrase nouvelle"], before.known_vectors())
    assert encoder.encoded == ["une phrase nouvelle"]
    assert np.allclose(vectors[: len(texts)], encode_all(EntryEncoder(kb), texts))


@pytest.mark.parametrize(
    ("raw", "on"),
    [(None, True), ("", True), ("1", True), ("oui", True), ("0", False), ("non", False), ("OFF", False)],
)
def test_the_sentence_reading_is_on_unless_switched_off(raw: str | None, on: bool) -> None:
    environ = {} if raw is None else {"RELAIS_SENTENCES": raw}
    assert load_settings(environ).sentences is on


def _answered(entry_id: str, score: int) -> Match:
    return Match(entry_id=entry_id, score=score)


def _favouring(matcher: Matcher, entry_id: str) -> np.ndarray:
    values = np.zeros(len(matcher.entry_ids))
    values[matcher.entry_ids.index(entry_id)] = 0.9
    return values


@pytest.mark.parametrize(
    ("score", "words_read", "meaning_read", "doubted"),
    [
        (60, "rsa", "rsa", True),  # neither reading backs the unsure answer: buttons
        (60, "css", "rsa", False),  # the words back it
        (60, "rsa", "css", False),  # the meaning backs it
        (85, "rsa", "rsa", False),  # sure enough to answer anyway
    ],
)
def test_an_unsure_answer_no_other_reading_backs_becomes_buttons(
    engine: Engine, score: int, words_read: str, meaning_read: str, doubted: bool
) -> None:
    matcher = engine.current.matcher
    fused = _favouring(matcher, "css") + 0.5 * _favouring(matcher, "rsa")
    match = _answered("css", score)
    matcher._doubt_an_answer_no_reading_backs(
        match, fused, _favouring(matcher, words_read), _favouring(matcher, meaning_read)
    )
    if doubted:
        assert match.entry_id is None
        assert match.suggestions[:2] == ["css", "rsa"]
    else:
        assert match.entry_id == "css"


def test_ask_jsonl_reads_every_line_by_meaning_as_the_warm_bot_does(kb_dir: Path, tmp_path: Path, monkeypatch) -> None:
    """Outside evaluations read `ask --jsonl`: its lines must be answered as the Telegram bot answers once warm.

    The reading is held back until someone waits for it: an `ask` that answered
    without waiting would never have its questions read by meaning.
    """
    import json

    from click.testing import CliRunner

    import bot.knowledge.engine as engine_module
    from bot.cli import cli

    gate = threading.Event()
    encoders: list[EntryEncoder] = []

    def reading(cache: ModelCache | None = None):
        def read(kb: KnowledgeBase, previous: SentenceEvidence | None) -> SentenceEvidence | None:
            gate.wait()
            encoders.append(EntryEncoder(kb))
            return sentence_evidence_for(kb, encoders[-1], ModelCache(), previous=previous)

        return read

    waited = Engine.wait_for_sentences

    def wait(self: Engine, timeout: float | None = None) -> bool:
        gate.set()
        return waited(self, timeout)

    monkeypatch.setattr(engine_module, "shipped_reading", reading)
    monkeypatch.setattr(Engine, "wait_for_sentences", wait)
    monkeypatch.setenv("RELAIS_SENTENCES", "1")
    monkeypatch.setenv("RELAIS_DB", str(tmp_path / "data" / "relais.db"))
    result = CliRunner().invoke(cli, ["--knowledge", str(kb_dir), "ask", "--jsonl"], input="mutuelle gratuite\nrsa\n")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["question"] for line in result.stdout.splitlines()] == ["mutuelle gratuite", "rsa"]
    assert len(encoders) == 1
    assert {"mutuelle gratuite", "rsa"} <= set(encoders[0].encoded)  # both lines read by meaning, the first too


STOP_INTENT = """id: arreter
titre: Arrêter
formulations: [stop, arrêter, je veux arrêter de parler avec le bot]
reponse: D'accord, j'arrête.
source: interne
verifie_le: 2026-11-27
"""


@pytest.mark.parametrize(
    ("message", "intent", "meaning_read", "clearly", "answered"),
    [
        ("bonjour tout le monde ici", "salutation", "salutation", 0.9, True),  # polite, and meant as a greeting
        ("bonjour tout le monde ici", "salutation", "salutation", 0.3, False),  # the meaning not clear enough
        ("bonjour tout le monde ici", "salutation", "rsa", 0.9, False),  # the meaning reads something else
        ("je voudrais arrêter de fumer", "arreter", "arreter", 0.9, False),  # no greeting nor thanks: held back
    ],
)
def test_a_polite_message_the_meaning_reads_as_the_intent_is_that_intent(
    kb_dir: Path, message: str, intent: str, meaning_read: str, clearly: float, answered: bool
) -> None:
    """Its words hold « bonjour tout le monde ici » back (most are not the greeting's); its meaning does not."""
    from bot.understanding.normalize import fold

    (kb_dir / "intentions" / "arreter.yaml").write_text(STOP_INTENT, encoding="utf-8")
    matcher = Engine.from_result(kb_dir, load_knowledge(kb_dir), cache=ModelCache()).current.matcher
    words = matcher._read(fold(message).split())
    assert not matcher._intent_says_it_all(intent, words)  # by its words alone, the intent is held back
    meaning = np.zeros(len(matcher.entry_ids))
    meaning[matcher.entry_ids.index(meaning_read)] = clearly
    assert matcher._intent_says_it_all(intent, words, meaning) is answered


class WordsMeaning(EntryEncoder):
    """The base's texts point to their entries, and a few words the base does not hold point where the test says."""

    def __init__(self, kb: KnowledgeBase, meant: dict[str, str]) -> None:
        super().__init__(kb)
        self.direction.update(meant)


@pytest.mark.parametrize(
    ("word", "meant", "answered"), [("danke", "salutation", "salutation"), ("zorglub", "rsa", None)]
)
def test_one_unknown_word_the_meaning_reads_as_an_intent_is_answered_never_as_a_right(
    kb_dir: Path, word: str, meant: str, answered: str | None
) -> None:
    engine = Engine.from_result(kb_dir, load_knowledge(kb_dir), cache=ModelCache())
    plain = engine.current.matcher
    assert plain.match(word).entry_id is None  # by words and n-grams alone: nothing to answer
    reading = sentence_evidence_for(plain.kb, WordsMeaning(plain.kb, {word: meant}), ModelCache())
    assert reading is not None
    matcher = copy.copy(plain)
    matcher.attach_sentences(reading)
    match = matcher.match(word)
    assert match.entry_id == answered
    if answered is not None:
        assert match.score > 0
