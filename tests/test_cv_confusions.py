"""bench/cv_confusions.py: where the cross-validation loses, read on the small fixture base."""

from __future__ import annotations

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


def test_every_phrasing_is_read_once_as_a_question(matcher, held_out):
    evidence, texts = held_out
    every = sorted(p for entry_id in matcher.kb.entries for p in matcher.kb.phrasings_of(entry_id))
    assert sorted(texts) == every
    assert len(evidence) == len(texts)


def test_off_topic_phrasings_expect_the_off_topic_side(matcher, held_out):
    evidence, texts = held_out
    expected, _, _, _ = cv_confusions.outcomes(matcher, evidence)
    off_topic = set(matcher.kb.entries["hors-sujet"].phrasings)
    assert off_topic
    for text, want in zip(texts, expected):
        assert (want == cv_confusions.OFFTOPIC) == (text in off_topic)


def test_confusions_count_exactly_the_confident_wrong_answers(matcher, held_out):
    evidence, _ = held_out
    expected, answered, right, was_answered = cv_confusions.outcomes(matcher, evidence)
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
