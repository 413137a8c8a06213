"""How the danger detector is trained: the fast counting is scikit-learn's exactly, and look-alikes weigh more."""

from __future__ import annotations

import numpy as np
import pytest

from bot.knowledge import Engine
from bot.understanding import danger as danger_module
from bot.understanding.danger import (
    NONE,
    DangerDetector,
    LinearTextModel,
    detector_for,
    sample_weights,
    train,
)
from bot.understanding.model_cache import ModelCache


@pytest.fixture(scope="module")
def training_set(read_fixture_base) -> tuple[list[str], list[str], list[bool]]:
    """The fixture base's training texts, labels and look-alike marks, as the detector builds them."""
    texts, labels, near = read_fixture_base.snapshot.danger._training_set()
    return texts, labels, near


def test_the_look_alikes_and_their_pieces_are_marked_and_nothing_else(read_fixture_base, training_set):
    texts, labels, near = training_set
    detector = read_fixture_base.snapshot.danger
    lookalikes = {detector.normalize(p) for p in read_fixture_base.snapshot.kb.dangers.lookalikes}
    assert any(near) and not all(n for n, label in zip(near, labels, strict=True) if label == NONE)
    assert all(label == NONE for n, label in zip(near, labels, strict=True) if n)
    assert lookalikes <= {t for t, n in zip(texts, near, strict=True) if n}


def test_a_look_alike_weighs_more_than_an_ordinary_phrasing_and_no_danger_keeps_its_share():
    labels = ["violence", "violence", NONE, NONE, NONE, NONE]
    near = [False, False, True, False, False, False]
    plain, weighted = sample_weights(labels), sample_weights(labels, near)
    assert weighted[2] == pytest.approx(danger_module.LOOKALIKE_WEIGHT * weighted[3])
    assert weighted[2:].sum() == pytest.approx(plain[2:].sum()) and np.array_equal(weighted[:2], plain[:2])


def test_weighing_the_look_alikes_makes_the_model_surer_they_are_no_danger(training_set, monkeypatch):
    texts, labels, near = training_set
    lookalikes = [t for t, n in zip(texts, near, strict=True) if n]
    weighted = LinearTextModel(train(texts, labels, near))
    monkeypatch.setattr(danger_module, "LOOKALIKE_WEIGHT", 1.0)
    plain = LinearTextModel(train(texts, labels, near))

    def mean_danger(model: LinearTextModel) -> float:
        return float(np.mean([1 - model.probabilities(t)[model.none_column] for t in lookalikes]))

    assert mean_danger(weighted) < mean_danger(plain)


MESSAGES = ("mon copain me tape", "je suis mort de rire", "on dort dehors ce soir", "la caf", "ma facture", "x")


def test_a_detector_read_from_the_disk_cache_decides_as_one_freshly_trained(kb_dir, tmp_path):
    """The cold start trains; a restart reads the .npz: both must give the same decisions."""
    engine = Engine.load(kb_dir)
    snapshot = engine.current

    def built(cache: ModelCache) -> DangerDetector:
        return detector_for(snapshot.kb, snapshot.matcher.normalizer, cache=cache)

    fresh = built(ModelCache(tmp_path))  # trained, and written to disk
    from_disk = built(ModelCache(tmp_path))  # a new process: read from disk, not trained
    untouched = built(ModelCache(None))  # trained again, nothing cached
    for message in MESSAGES:
        decisions = {repr(d.detect(message)) for d in (fresh, from_disk, untouched)}
        assert len(decisions) == 1, (message, decisions)
    assert list(tmp_path.glob("danger-*.npz"))
