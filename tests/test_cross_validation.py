"""Cross-validation over the knowledge base's phrasings (bench/crossval.py) and the dev + CV tuner (bench/cv.py)."""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge import load_knowledge
from bot.understanding.gazetteer import QuartierGuess
from bot.understanding.matcher import Settings
from tests.conftest import FIXTURE_KB

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import crossval  # noqa: E402
import cv  # noqa: E402

K = 3


@pytest.fixture(scope="module")
def kb():
    return load_knowledge(FIXTURE_KB).kb


@pytest.fixture(scope="module")
def folds(kb):
    """Each fold's matcher (trained without it) and its held-out evidence: trained once for the module."""
    return list(crossval.cross_validation(kb, K))


def test_every_phrasing_is_held_out_exactly_once_and_never_trained_on_in_its_fold(kb):
    assignment = crossval.fold_of_phrasings(kb, K)
    seen: Counter[tuple[str, str]] = Counter()
    for fold in range(K):
        fold_kb, held_out = crossval.without_fold(kb, assignment, fold)
        trained = {(e.id, p) for e in fold_kb.entries.values() for p in e.phrasings}
        for item in held_out:
            owner = item.expected[0] if item.expected else "hors-sujet"
            assert (owner, item.question) not in trained
            seen[(owner, item.question)] += 1
        assert set(fold_kb.entries) == set(kb.entries)  # no entry left without its title and keywords
    every = Counter((e.id, p) for e in kb.entries.values() for p in kb.phrasings_of(e.id))
    assert seen == every


def test_folds_deal_each_entrys_phrasings_evenly(kb):
    for entry_id, assignment in crossval.fold_of_phrasings(kb, K).items():
        counts = Counter(assignment)
        assert max(counts.values()) - min(counts.values(), default=0) <= 1, entry_id


def test_off_topic_phrasings_are_out_of_scope_questions(kb):
    _, held_out = crossval.without_fold(kb, crossval.fold_of_phrasings(kb, K), 0)
    off_topic = set(kb.entries["hors-sujet"].phrasings)
    assert any(h.question in off_topic for h in held_out)
    assert all(h.expected == () for h in held_out if h.question in off_topic)


def test_a_right_and_its_own_office_count_for_each_other_but_a_hub_office_does_not(kb):
    entries = dict(kb.entries)
    entries["css"] = dataclasses.replace(entries["css"], services=("cpam", "caf"))  # only the first is its office
    partners = crossval.own_offices(dataclasses.replace(kb, entries=entries))
    assert partners["css"] == {"cpam"} and partners["cpam"] == {"css"}
    assert "css" not in partners["caf"]

    for index in range(crossval.OWN_OFFICE_AT_MOST):  # now cpam is the first office of too many rights: a hub
        entries[f"droit-{index}"] = dataclasses.replace(entries["rsa"], id=f"droit-{index}", services=("cpam",))
    assert crossval.own_offices(dataclasses.replace(kb, entries=entries))["css"] == set()


def test_the_evidence_has_one_row_per_held_out_phrasing(kb, folds):
    assert sum(len(evidence) for _, evidence in folds) == sum(len(kb.phrasings_of(e)) for e in kb.entries)
    for matcher, evidence in folds:
        assert evidence.lexical.shape == evidence.learned.shape == (len(evidence), len(matcher.entry_ids))
    in_scope = sum(int(evidence.expected.any(axis=1).sum()) for _, evidence in folds)
    assert in_scope == sum(len(kb.phrasings_of(e.id)) for e in kb.entries.values() if not e.offtopic)


POINTS = [
    Settings(),
    Settings(learned_weight=0.3, fused_answer_from=0.3, offtopic_margin=-0.05, fused_floor=0.08),
    Settings(learned_weight=0.7, fused_answer_from=0.1, offtopic_ratio=0.6, answer_gap=0.1),
    Settings(learned_weight=0.5, fused_answer_from=0.45, offtopic_margin=0.1, answer_gap=0.05),
    Settings(close_call_below=0),  # no close-call hesitation
    Settings(close_call_below=95, close_call_margin=25),
]


@pytest.mark.parametrize("settings", POINTS)
def test_the_vectorised_decision_is_the_matchers_own(folds, settings):
    """The grid search must score exactly what the bot would do, or it tunes another matcher."""
    matcher, evidence = folds[0]
    ranked = cv.Ranked.of(evidence, matcher._offtopic_mask, settings.learned_weight)
    decided = cv.decide(ranked, settings)
    matcher.settings = settings
    try:
        for row in range(len(evidence)):
            pair = (evidence.lexical[row], evidence.learned[row])
            match = matcher._decide_fused(*matcher.fuse([pair]), QuartierGuess(), "")
            expected = {e for e, wanted in zip(matcher.entry_ids, evidence.expected[row]) if wanted}
            assert decided.answered[row] == (match.entry_id is not None)
            assert decided.right[row] == (match.entry_id in expected)
            if match.entry_id is None:
                assert decided.offered[row] == bool(set(match.suggestions) & expected)
    finally:
        matcher.settings = Settings()


def test_the_chosen_point_keeps_the_dev_set_above_its_floor():
    shape = (2, len(cv.WEIGHTS), len(cv.ANSWER_FROM), len(cv.MARGINS), len(cv.FLOORS), len(cv.RATIOS), len(cv.GAPS), 4)
    grid = np.zeros(shape)
    grid[0, ..., 0] = 0.98
    grid[..., 3] = 0.5
    grid[1, 3, 5, 4, 0, 0, 0, 3] = 2.0  # the best cross-validation point, but the dev set falls there
    grid[0, 3, 5, 4, 0, 0, 0, 0] = 0.90
    grid[1, 2, 5, 4, 0, 0, 0, 3] = 1.5  # the next best, with the dev set intact
    chosen = cv.choose(grid)
    assert chosen != (3, 5, 4, 0, 0, 0)
    assert grid[(0, *chosen, 0)] >= cv.DEV_CORRECT_AT_LEAST


def test_the_tuner_refuses_a_held_out_set(capsys):
    assert cv.main(["--dev", "bench/own-questions-3.yaml"]) == 2
    assert "jeux de contrôle" in capsys.readouterr().err


def test_stories_are_an_option_reported_for_each_settings(kb, capsys):
    """`--stories` reads both settings through the whole decision; without it nothing of stories is printed."""
    strict = dataclasses.replace(Settings(), fused_answer_from=0.99)
    cv.print_stories(kb, K, {"shipped settings": Settings(), "strict": strict})
    out = capsys.readouterr().out
    assert "stories (shipped settings, whole decision):" in out and "stories (strict, whole decision):" in out
    written = [line for line in out.splitlines() if line.strip().startswith("as written")]
    assert len(written) == 2 and written[0] != written[1]  # answering nothing changes the figures


def _two_questions() -> tuple[crossval.Evidence, np.ndarray]:
    """Two made-up questions over three entries, both answered entry 0 narrowly before entry 1; the first expects 1."""
    lexical = np.array([[0.8, 0.75, 0.1], [0.8, 0.75, 0.1]])
    expected = np.array([[False, True, False], [True, False, False]])
    return crossval.Evidence(lexical, lexical.copy(), expected), np.zeros(3, dtype=bool)


def test_the_close_pair_rule_turns_a_narrow_answer_between_a_listed_pair_into_buttons():
    import close_pairs

    evidence, off = _two_questions()
    s = Settings()
    ranked = cv.Ranked.of(evidence, off, s.learned_weight)
    tops = close_pairs.top_two(evidence, off, s)
    rows = np.ones(2, dtype=bool)
    assert list(close_pairs.judged(ranked, tops, s, set(), 0.1, rows)) == [1, 1, 0, 0]
    assert list(close_pairs.judged(ranked, tops, s, {frozenset((0, 1))}, 0.1, rows)) == [0, 0, 2, 2]
    assert list(close_pairs.judged(ranked, tops, s, {frozenset((0, 1))}, 0.01, rows)) == [1, 1, 0, 0]
    confused = close_pairs.confusions(evidence, ranked, tops, s, rows)
    assert confused == Counter({frozenset((0, 1)): 1})


class EntryMeaning:
    """A made-up encoder that reads every phrasing of the base (held out or not) as its entry's direction."""

    def __init__(self, kb) -> None:
        self.entries = sorted(kb.entries)
        self.owner = {p: e for e in kb.entries for p in (*kb.phrasings_of(e), kb.entries[e].title)}

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), len(self.entries)), dtype=np.float32)
        for row, text in enumerate(texts):
            if text in self.owner:
                vectors[row, self.entries.index(self.owner[text])] = 1.0
        return vectors


def test_with_an_encoder_each_fold_reads_by_meaning_as_the_warm_bot_does(kb, folds):
    """The tuner must score the matcher the bot serves once warm: the meaning of the message joins the learned side."""
    encoder = crossval.Remembering(EntryMeaning(kb))
    by_meaning = list(crossval.cross_validation(kb, K, encoder=encoder))
    assert all(matcher.sentences is not None for matcher, _ in by_meaning)
    assert all(matcher.sentences is None for matcher, _ in folds)
    raised = False
    assignment = crossval.fold_of_phrasings(kb, K)
    for fold, ((_, plain), (matcher, read)) in enumerate(zip(folds, by_meaning)):
        assert np.array_equal(plain.lexical, read.lexical)
        _, held_out = crossval.without_fold(kb, assignment, fold)
        owners = [(row, matcher.entry_ids.index(h.expected[0])) for row, h in enumerate(held_out) if h.expected]
        assert owners
        rows, columns = np.array(owners).T
        # A meaning that points at the phrasing's own entry can only raise the learned side's value for it.
        assert (read.learned[rows, columns] >= plain.learned[rows, columns] - 1e-9).all()
        raised |= bool((read.learned[rows, columns] > plain.learned[rows, columns] + 1e-6).any())
    assert raised
    assert crossval.readings_line(by_meaning[0][0]) == "readings: words + n-gram model + meaning"
