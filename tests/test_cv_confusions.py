"""bench/cv_confusions.py: where the cross-validation loses, read on the small fixture base."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.knowledge.engine import Engine
from tests.conftest import FIXTURE_KB

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import cv  # noqa: E402
import cv_confusions  # noqa: E402

K = 3


@pytest.fixture(scope="module")
def matcher():
    return Engine.load(FIXTURE_KB).current.matcher


@pytest.fixture(scope="module")
def held_out(matcher):
    return cv_confusions.held_out_folds(matcher, K)


def test_every_phrasing_is_read_once_as_a_question_under_its_own_entry(matcher, held_out):
    evidence, texts, owners = held_out
    kb = matcher.kb
    every = sorted(("hors-sujet" if kb.entries[e].offtopic else e, p) for e in kb.entries for p in kb.phrasings_of(e))
    assert sorted(zip(owners, texts)) == every
    assert len(evidence) == len(texts)


def test_off_topic_phrasings_expect_the_off_topic_side(matcher, held_out):
    evidence, texts, owners = held_out
    expected, _, _, _ = cv_confusions.outcomes(matcher, evidence, owners)
    off_topic = set(matcher.kb.entries["hors-sujet"].phrasings)
    assert off_topic
    for text, want in zip(texts, expected):
        assert (want == cv_confusions.OFFTOPIC) == (text in off_topic)


def test_confusions_count_exactly_the_confident_wrong_answers(matcher, held_out):
    evidence, _, owners = held_out
    expected, answered, right, was_answered = cv_confusions.outcomes(matcher, evidence, owners)
    ranked = cv.Ranked.of(evidence, matcher._offtopic_mask, matcher.settings.learned_weight)
    share_right, share_wrong, _, _ = cv.figures(ranked, matcher.settings)
    wrong = was_answered & ~right
    assert np.isclose(wrong.mean(), share_wrong)
    assert np.isclose(right.mean(), share_right)
    assert all(got for got, w in zip(answered, wrong) if w)  # a wrong answer names the entry it gave
    assert all(want != got for want, got, w in zip(expected, answered, wrong) if w)


def test_the_script_prints_figures_pairs_and_weak_entries(capsys):
    assert cv_confusions.main(["--knowledge", str(FIXTURE_KB), "--folds", str(K), "--examples", "1"]) == 0
    out = capsys.readouterr().out
    assert "shipped settings" in out
    assert "expected -> answered" in out
    assert "entries least often right" in out


def with_extra_phrasing(kb, entry_id, text):
    entry = kb.entries[entry_id]
    entries = {**kb.entries, entry_id: dataclasses.replace(entry, phrasings=(*entry.phrasings, text))}
    return dataclasses.replace(kb, entries=entries)


def test_stable_folds_keep_each_phrasings_fold_when_another_phrasing_is_added(matcher):
    kb = matcher.kb
    entry_id = next(e for e in sorted(kb.entries) if not kb.entries[e].offtopic)
    grown = with_extra_phrasing(kb, entry_id, "une formulation ajoutée pour l'essai")
    before, after = cv_confusions.stable_folds(kb, K), cv_confusions.stable_folds(grown, K)
    for e in kb.entries:
        assert after[e][: len(before[e])] == before[e]
        assert set(before[e]) <= set(range(K))


def test_only_the_phrasings_both_bases_hold_under_the_same_entry_are_scored(matcher):
    kb = matcher.kb
    right = next(e for e in sorted(kb.entries) if not kb.entries[e].offtopic)
    other = next(e for e in sorted(kb.entries) if not kb.entries[e].offtopic and e != right)
    shared = kb.phrasings_of(right)[0]
    texts = [shared, shared, "absente de l'autre base"]
    owners = [right, other, right]
    assert cv_confusions.shared_rows(texts, owners, kb).tolist() == [True, False, False]


def test_the_fair_comparison_prints_that_it_reads_only_shared_phrasings(capsys):
    argv = ["--knowledge", str(FIXTURE_KB), "--folds", str(K), "--same-questions-as", str(FIXTURE_KB)]
    assert cv_confusions.main(argv) == 0
    assert "holds too" in capsys.readouterr().out
