"""The learned component: n-gram features, training, model choice by size, arrays round trip."""

from __future__ import annotations

import numpy as np
import pytest

from bot.understanding import learned
from bot.understanding.learned import LearnedModel, LearnedSettings

# A made-up base of three entries and an off-topic class, in residents' words.
TRAINING = {
    "loyer": [
        "je ne peux plus payer mon loyer",
        "retard de loyer",
        "le proprio réclame le loyer",
        "loyer impayé depuis deux mois",
        "aide pour payer le loyer",
    ],
    "manger": [
        "rien à manger ce soir",
        "le frigo est vide",
        "colis alimentaire",
        "épicerie sociale",
        "les enfants ont faim",
    ],
    "bus": [
        "le ticket de bus coûte cher",
        "abonnement bus moins cher",
        "tarif réduit pour le tram",
        "le bus pour aller travailler",
        "carte de bus",
    ],
    "hors-sujet": [
        "la météo de demain",
        "le score du match",
        "une recette de crêpes",
        "le cours de la bourse",
        "un film ce soir",
    ],
}


def _pairs() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, phrasings in TRAINING.items():
        texts += phrasings
        labels += [label] * len(phrasings)
    return texts, labels


@pytest.fixture(scope="module")
def model() -> LearnedModel:
    arrays = learned.train(*_pairs())
    assert arrays is not None
    return LearnedModel(arrays)


def test_char_ngrams_stay_inside_words_and_pad_them():
    assert learned.char_ngrams("ab cd", 2, 3) == [" a", "ab", "b ", " ab", "ab ", " c", "cd", "d ", " cd", "cd "]


def test_word_ngrams_give_words_then_pairs():
    assert learned.word_ngrams("plus de loyer", 1, 2) == ["plus", "de", "loyer", "plus de", "de loyer"]


def test_probabilities_sum_to_one_over_every_label(model: LearnedModel):
    probabilities = model.probabilities("loyer en retard")
    assert probabilities.shape == (len(TRAINING),)
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert sorted(model.labels) == sorted(TRAINING)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("jarrive pas a payer le loyé", "loyer"),  # typo: character n-grams still meet
        ("frigo vide les petits ont faim", "manger"),
        ("ticket de tram trop cher", "bus"),
        ("quel temps demain, la météo", "hors-sujet"),
    ],
)
def test_the_closest_class_wins_even_with_words_never_seen(model: LearnedModel, question: str, expected: str):
    probabilities = model.probabilities(question)
    assert model.labels[int(np.argmax(probabilities))] == expected


def test_a_question_without_any_known_ngram_gives_a_flat_guess(model: LearnedModel):
    probabilities = model.probabilities("zzqx")
    assert probabilities.max() < 0.6


def test_the_arrays_rebuild_the_same_model(model: LearnedModel):
    rebuilt = LearnedModel(dict(model.to_arrays()))
    question = "aide pour le bus"
    assert np.allclose(rebuilt.probabilities(question), model.probabilities(question))


def test_arrays_are_plain_numbers_and_strings_safe_to_store_without_pickle(model: LearnedModel, tmp_path):
    path = tmp_path / "model.npz"
    np.savez(path, **model.to_arrays())
    with np.load(path, allow_pickle=False) as data:
        rebuilt = LearnedModel({k: data[k] for k in data.files})
    assert rebuilt.labels == model.labels


@pytest.mark.parametrize(
    "classes, texts, expected",
    [(1, 10, None), (50, 2000, "logreg"), (1000, 40000, "centroid"), (10000, 400000, None)],
)
def test_the_model_gets_lighter_as_the_base_grows(classes: int, texts: int, expected: str | None):
    assert learned.choose_kind(classes, texts, LearnedSettings()) == expected


def test_the_light_model_also_ranks_the_right_class_first():
    settings = LearnedSettings(max_logreg_classes=1)  # force the centroid model on this small base
    arrays = learned.train(*_pairs(), settings)
    assert arrays is not None and str(arrays["kind"]) == "centroid"
    model = LearnedModel(arrays)
    assert model.labels[int(np.argmax(model.probabilities("le frigo est vide ce soir")))] == "manger"


def test_the_training_key_changes_with_the_content_and_the_settings():
    texts, labels = _pairs()
    key = learned.training_key(texts, labels, LearnedSettings())
    assert key == learned.training_key(list(texts), list(labels), LearnedSettings())
    assert key != learned.training_key(texts[:-1] + ["autre chose"], labels, LearnedSettings())
    assert key != learned.training_key(texts, labels, LearnedSettings(regularisation_c=1.0))


def test_a_large_base_trains_centroids_on_a_spread_sample_of_each_entry():
    """Above the regression's size, each entry's centroid is built from at most a few of its texts."""
    from bot.understanding.learned import LearnedModel, LearnedSettings, train

    texts = [f"texte {label} numero {i}" for label in ("alpha", "beta", "gamma") for i in range(40)]
    labels = [label for label in ("alpha", "beta", "gamma") for _ in range(40)]
    settings = LearnedSettings(max_logreg_classes=2, max_centroid_texts_per_class=5)
    arrays = train(texts, labels, settings)
    assert arrays is not None and str(arrays["kind"]) == "centroid"
    assert list(arrays["ngrams"][:2]) == list(settings.centroid_char_ngrams)
    model = LearnedModel(arrays)
    best = model.labels[int(model.probabilities("texte beta numero 7").argmax())]
    assert best == "beta"


def test_too_many_entries_skip_reading_the_texts(kb_dir):
    from bot.knowledge import load_knowledge
    from bot.understanding.learned import LearnedSettings, model_for

    def never(text: str) -> str:
        raise AssertionError("texts read although no model can be trained")

    kb = load_knowledge(kb_dir).kb
    assert model_for(kb, never, settings=LearnedSettings(max_logreg_classes=1, max_centroid_classes=1)) is None


def test_training_rows_weigh_ngrams_exactly_like_a_question_is_weighed():
    """The training matrix is built in bulk (bot.understanding.tfidf); a question goes through `_Block.features`."""
    from bot.understanding import tfidf

    texts = [text for own in TRAINING.values() for text in own]
    chars = tfidf.GramCodes(lambda word: learned._word_char_ngrams(word, 2, 5))
    words = tfidf.GramCodes()
    char_fit = tfidf.fit_block([chars.of_words(t.split()) for t in texts], chars, 200)
    word_fit = tfidf.fit_block([words.of_grams(learned.word_ngrams(t, 1, 2)) for t in texts], words)
    char_block = learned._Block(char_fit.terms, char_fit.idf, 0)
    word_block = learned._Block(word_fit.terms, word_fit.idf, len(char_fit.terms))
    n_features = len(char_fit.terms) + len(word_fit.terms)
    matrix = tfidf.matrix([char_fit, word_fit], len(texts)).toarray()
    assert matrix.shape == (len(texts), n_features)
    for row, text in enumerate(texts):
        expected = np.zeros(n_features)
        for block, grams in (
            (char_block, learned.char_ngrams(text, 2, 5)),
            (word_block, learned.word_ngrams(text, 1, 2)),
        ):
            columns, values = block.features(grams)
            expected[columns] = values
        assert np.allclose(matrix[row], expected, atol=1e-6), text


def test_the_index_hands_the_model_the_texts_it_read(kb_dir):
    """Read once: the texts the index normalised are exactly the model's training pairs."""
    from bot.knowledge import load_knowledge
    from bot.understanding.matcher import Matcher

    kb = load_knowledge(kb_dir).kb
    matcher = Matcher(kb, keep_read_texts=True)
    assert matcher.take_read_texts() == learned.training_pairs(kb, matcher.normalizer)
    assert matcher.take_read_texts() is None  # handed over once, then forgotten
    assert Matcher(kb).take_read_texts() is None
