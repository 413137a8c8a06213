"""The danger detector: learned from phrasings, read clause by clause, backed by exact expressions."""

from __future__ import annotations

import numpy as np
import pytest

from bot.understanding import danger as danger_module
from bot.understanding.danger import (
    DangerDetector,
    LinearTextModel,
    features,
    split_clauses,
    train,
)
from bot.understanding.lone_fragment import is_lone_fragment
from bot.understanding.model_cache import ModelCache, content_key
from bot.understanding.normalize import fold

# A tiny made-up training set: enough for the detector to generalise a little,
# small enough to train in a few milliseconds.
EXAMPLES = {
    "violence": [
        "mon mari me frappe",
        "il me tape tous les soirs",
        "mon copain me met des coups",
        "il m'a giflée",
        "il me bat quand il a bu",
        "mon conjoint est violent avec moi",
        "il m'a poussée contre le mur",
        "il menace de me tuer",
        "my husband hits me",
        "il m'étrangle",
    ],
    "suicide": [
        "je veux mourir",
        "j'ai envie d'en finir",
        "je ne veux plus vivre",
        "je pense au suicide",
        "je veux disparaître pour toujours",
        "j'ai pris tous mes cachets pour mourir",
        "I want to die",
        "je vais me tuer",
        "plus envie de vivre",
        "je veux tout arrêter pour de bon",
    ],
    "rue": [
        "je dors dehors ce soir",
        "je n'ai nulle part où dormir",
        "on dort dans la voiture",
        "je suis à la rue avec mes enfants",
        "on m'a mis dehors cette nuit",
        "je dors à la gare",
        "pas de toit ce soir",
        "I sleep on the street",
        "je dors dans un parking",
        "sans abri ce soir",
    ],
}
NEGATIVES = [
    "je suis mort de rire",
    "ce dossier va me tuer",
    "je me bats pour mon dossier",
    "j'habite rue de Siam",
    "c'est quand le versement de la prime d'activité",
    "comment demander le rsa",
    "aide pour le loyer",
    "la caf ne répond pas",
    "je cherche un travail",
    "mon fils veut faire du foot",
    "une mutuelle pas chère",
    "combien pour les allocations familiales",
    "où est la mairie",
    "je veux changer mon adresse",
    "bonjour",
    "merci beaucoup",
    "la rue est en travaux",
    "je dors mal à cause du bruit",
    "le chèque énergie arrive quand",
    "j'ai perdu ma carte vitale",
    "mdr trop drôle",
    "je suis morte de fatigue",
    "ça me fait rire",
    "je suis crevée ce soir",
]
EXPRESSIONS = {"violence": ["il a un couteau"], "suicide": ["me pendre"], "rue": ["dormir dehors"]}


@pytest.fixture(scope="module")
def detector() -> DangerDetector:
    return DangerDetector(EXAMPLES, NEGATIVES, EXPRESSIONS, cache=ModelCache())


@pytest.mark.parametrize(
    "message, kind",
    [
        ("mon mari me frappe souvent", "violence"),
        ("il me tap", "violence"),  # a typo the training set never saw
        ("jveux mourir", "suicide"),
        ("on dort dans notre voiture", "rue"),
    ],
)
def test_a_danger_written_differently_is_recognised(detector, message, kind):
    found = detector.detect(message)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "message",
    [
        "je suis morte de rire",
        "ce dossier de caf va me tuer",
        "j'habite rue de Siam, où est la mairie",
        "comment demander la prime d'activité",
    ],
)
def test_a_look_alike_is_not_a_danger(detector, message):
    assert detector.detect(message) is None


def test_a_danger_mixed_with_an_ordinary_question_is_found_and_the_question_kept(detector):
    found = detector.detect("mon copain me met des coups et au fait c'est quand le versement de la prime d'activité")
    assert found is not None and found.kind == "violence"
    assert "prime" in found.ordinary_text and "coups" not in found.ordinary_text


def test_a_danger_at_the_end_of_a_long_message_is_found(detector):
    story = "Je vous explique ma situation depuis le début. " * 60 + "Et maintenant je dors dehors ce soir."
    found = detector.detect(story)
    assert found is not None and found.kind == "rue"


def test_an_exact_expression_is_a_danger_even_when_the_model_does_not_know_it():
    # Made-up words: the model cannot have learned them, only the expression can find them.
    backed = DangerDetector(EXAMPLES, NEGATIVES, {"suicide": ["m'a kzxq"]}, cache=ModelCache())
    plain = DangerDetector(EXAMPLES, NEGATIVES, {}, cache=ModelCache())
    for message in ("bonjour il m'a kzxq merci", "bonjour il ma kzxq merci", "bonjour il m a kzxq merci"):
        found = backed.detect(message)
        assert found is not None and "suicide" in found.kinds, message
        without = plain.detect(message)
        assert without is None or "suicide" not in without.kinds, message


def test_expressions_match_whole_words_only():
    backed = DangerDetector(EXAMPLES, NEGATIVES, {"suicide": ["kzxq"]}, cache=ModelCache())
    assert backed.detect("bonjour akzxqa merci") is None


def test_an_expression_inside_a_mediators_set_phrase_does_not_alert_alone():
    # "il me tape" is a danger; "il me tape sur les nerfs" is annoyance: the set phrase cancels the expression.
    with_exception = DangerDetector(
        EXAMPLES, NEGATIVES, {"violence": ["il me tape"]}, ["me tape sur les nerfs"], cache=ModelCache()
    )
    assert with_exception.backstop.kinds_in("il me tape sur les nerfs") == []
    assert with_exception.backstop.kinds_in("il me tape, sur la tête") == ["violence"]
    assert with_exception.backstop.kinds_in("il me tape sur les nerfs. et il me tape") == ["violence"]
    without = DangerDetector(EXAMPLES, NEGATIVES, {"violence": ["il me tape"]}, cache=ModelCache())
    assert without.backstop.kinds_in("il me tape sur les nerfs") == ["violence"]


def test_an_expression_in_a_question_about_the_help_itself_does_not_alert_alone(detector):
    question = "le 3114 est-il gratuit pour quelqu'un qui veut me pendre"  # made up: expression + about the line
    assert detector.backstop.kinds_in(question) == ["suicide"]
    assert detector.read(question).expression_kinds == []
    danger = "c'est quoi le numéro, je vais me pendre"  # the danger in a clause of its own still counts
    assert detector.read(danger).expression_kinds == ["suicide"]


@pytest.mark.parametrize("fragment", ["mon mari", "ce soir", "mon fils aussi", "my husband"])
def test_a_lone_fragment_naming_only_people_or_a_moment_is_not_read_by_the_model(detector, fragment):
    assert detector.read(fragment).pieces == []


def test_a_short_danger_is_no_lone_fragment(detector):
    assert detector.read("dehors ce soir").pieces  # a place: still read by the model
    found = detector.detect("mon mari me frappe")
    assert found is not None and found.kind == "violence"


@pytest.mark.parametrize(
    "message",
    [
        "j'ai voulu me pendre il y a dix ans, aujourd'hui je vais bien, je cherche une mutuelle",
        "quand j'étais petite on devait dormir dehors, c'est fini, je voudrais un logement plus grand",
        "dans le film il a un couteau, c'est à quelle heure",
    ],
)
def test_an_expression_in_a_danger_long_over_or_in_a_film_does_not_alert_alone(detector, message):
    assert detector.backstop.kinds_in(message)  # the expression is there: only the distance stops it
    assert detector.detect(message) is None


@pytest.mark.parametrize(
    "message, kind",
    [
        ("j'ai voulu me pendre il y a dix ans et j'y pense encore", "suicide"),  # a present cue
        ("il y a dix ans j'étais à la rue. Ce soir je vais dormir dehors", "rue"),
        ("quand j'étais petite on devait dormir dehors. Pour moi aussi dormir dehors", "rue"),  # a near sentence
        ("Il y a dix ans c'était dur pour moi. on dort dans notre voiture", "rue"),  # near sentences read whole
    ],
)
def test_a_danger_of_now_told_next_to_a_past_one_still_alerts(detector, message, kind):
    found = detector.detect(message)
    assert found is not None and kind in found.kinds


def test_a_distant_sentence_needs_stronger_evidence_than_a_near_one(detector):
    near = detector.read("il me tape tous les soirs")
    far = detector.read("il me tapait il y a dix ans")
    assert {piece.level for piece in near.pieces} == {danger_module.ALERT_FROM}
    assert {piece.level for piece in far.pieces} == {danger_module.DISTANT_ALERT_FROM}
    mixed = {piece.text: piece.level for piece in detector.read("Il y a dix ans c'était dur. on dort dehors").pieces}
    assert mixed["on dort dehors"] == danger_module.ALERT_FROM  # the near sentences keep the short-message level
    assert mixed["Il y a dix ans c'était dur. on dort dehors"] == danger_module.DISTANT_ALERT_FROM


def test_a_kind_the_model_cannot_tell_apart_from_the_likeliest_is_kept_second(detector, monkeypatch):
    """Two kinds nearly as likely: both are in the reply (the strongest first), and the detector says it is unsure."""
    sure = detector.detect("il me tape tous les soirs")
    assert sure is not None and sure.kinds == ("violence",) and not sure.unsure
    monkeypatch.setattr(danger_module, "CLOSE_KIND_SHARE", 0.0)  # every runner-up counts as close
    unsure = detector.detect("il me tape tous les soirs")
    assert unsure is not None and unsure.unsure
    assert unsure.kinds[0] == "violence" and len(unsure.kinds) == 2


@pytest.mark.parametrize("odd", ["", "   ", None, "🙂🙂🙂", "?!?!", 42])
def test_odd_input_is_never_an_error(detector, odd):
    assert detector.detect(odd) is None


def test_clauses_are_cut_at_sentences_commas_and_connectors():
    assert split_clauses("il me tape, et au fait la caf ? Merci") == ["il me tape", "la caf", "Merci"]


@pytest.fixture(scope="module")
def with_reference():
    """The model as the detector applies it, and scikit-learn's own pipeline trained on the same texts."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [t for ts in EXAMPLES.values() for t in ts] + NEGATIVES
    labels = [k for k, ts in EXAMPLES.items() for _ in ts] + ["none"] * len(NEGATIVES)
    model = LinearTextModel(train(texts, labels))
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True)
    reference = LogisticRegression(
        C=danger_module.C, max_iter=300, class_weight=danger_module.class_weights(labels), solver="newton-cg"
    )
    reference.fit(vectorizer.fit_transform(texts), labels)
    return model, lambda questions: reference.predict_proba(vectorizer.transform(questions))


QUESTIONS = ("il me frappe", "je dors dehors", "bonjour la caf", "xyz", "il me frappe il me frappe encore", "")


def test_the_model_applied_without_scikit_learn_gives_scikit_learns_probabilities(with_reference):
    model, reference = with_reference
    for question in QUESTIONS:
        assert np.allclose(model.probabilities(question), reference([question])[0], atol=1e-3), question


def test_pieces_read_together_get_each_the_probabilities_it_gets_alone(with_reference):
    """A message's pieces are scored in one go: no piece may borrow another's words."""
    model, reference = with_reference
    together = model.probabilities_of([model.features_of(q)[0] for q in QUESTIONS])
    assert together.shape == (len(QUESTIONS), len(model.classes))
    assert np.allclose(together, reference(list(QUESTIONS)), atol=1e-3)


@pytest.mark.parametrize(
    "message, found",
    [
        ("dormir dehors", True),  # the whole message
        ("ce soir je vais dormir dehors", True),  # at the end
        ("dormir dehors encore ce soir", True),  # at the start
        ("je voulais dormir chez elle mais je vais dormir dehors", True),  # its first word seen before, elsewhere
        ("dormir chez moi puis dehors", False),  # both words, not together
        ("je vais dormir", False),  # only the beginning
    ],
)
def test_an_expression_is_found_wherever_its_words_follow_each_other(message, found):
    backed = danger_module.Expressions({"rue": ["dormir dehors"]}, rewrite=lambda words: words)
    assert (backed.kinds_in(message) == ["rue"]) is found


# --------------------------------------------------------------------------- cache


def _count_training(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = danger_module.train

    def counting(texts, labels, lookalike=None):
        calls.append(len(texts))
        return real(texts, labels, lookalike)

    monkeypatch.setattr(danger_module, "train", counting)
    return calls


def test_the_same_content_is_trained_once_per_process(monkeypatch):
    calls = _count_training(monkeypatch)
    cache = ModelCache()
    DangerDetector(EXAMPLES, NEGATIVES, {}, cache=cache)
    DangerDetector(EXAMPLES, NEGATIVES, {}, cache=cache)
    assert len(calls) == 1
    DangerDetector(EXAMPLES, [*NEGATIVES, "une phrase de plus"], {}, cache=cache)
    assert len(calls) == 2


def test_a_model_saved_on_disk_is_reused_by_the_next_process_and_a_corrupt_one_rebuilt(monkeypatch, tmp_path):
    calls = _count_training(monkeypatch)
    first = DangerDetector(EXAMPLES, NEGATIVES, {}, cache=ModelCache(tmp_path))
    saved = list(tmp_path.glob("danger-*.npz"))
    assert len(saved) == 1 and len(calls) == 1
    second = DangerDetector(EXAMPLES, NEGATIVES, {}, cache=ModelCache(tmp_path))  # a fresh process: empty memory
    assert len(calls) == 1
    assert second.detect("il me tape") == first.detect("il me tape")
    saved[0].write_bytes(b"not a model")
    DangerDetector(EXAMPLES, NEGATIVES, {}, cache=ModelCache(tmp_path))
    assert len(calls) == 2


def test_an_unwritable_cache_directory_still_gives_a_working_model(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    detector = DangerDetector(EXAMPLES, NEGATIVES, {}, cache=ModelCache(blocker / "cache"))
    assert detector.detect("il me tape tous les soirs") is not None


def test_content_keys_differ_when_any_text_differs():
    assert content_key(["a", "b"]) != content_key(["ab"])
    assert content_key(["a", "b"]) == content_key(["a", "b"])


def test_no_danger_phrasing_of_the_base_is_a_lone_fragment(shipped_base):
    """The framing words carry no danger: none of the mediators' danger phrasings is made only of them."""
    dangers = shipped_base.kb.dangers
    assert dangers is not None
    phrasings = [p for kind in dangers.kinds.values() for p in kind.phrasings]
    assert len(phrasings) > 100
    assert [p for p in phrasings if is_lone_fragment(fold(p))] == []


def test_the_mediators_set_phrases_are_read_from_the_look_alikes_file(shipped_engine):
    backstop = shipped_engine.current.danger.backstop
    assert backstop.kinds_in("je suis en danger de perdre mon emploi") == []
    assert backstop.kinds_in("je suis en danger") == ["violence"]


@pytest.mark.parametrize("text", ["mon mari me frappe", "il m a tapé hier soir", "je dors dehors et au fait le rsa"])
def test_features_from_words_are_those_of_the_text(detector, text):
    """Neighbour clauses are read from their words already normalised: the same features as the text itself."""
    normalized = detector.normalize(text)
    words = danger_module.glue_elisions(normalized).split()
    assert detector.model.features_of_words(words) == detector.model.features_of(normalized)


@pytest.mark.parametrize("text", ["mon mari me frappe", "il me tap", "jveux mourrir ce soir", "zzkq frappe"])
def test_known_and_unseen_words_give_the_columns_of_their_features(detector, text):
    """Training words' columns are computed at load, unseen ones (typos) on the fly: both as `features` says."""
    model = detector.model
    words = danger_module.glue_elisions(detector.normalize(text)).split()
    expected = [model.index[gram] for gram in features(" ".join(words)) if gram in model.index]
    assert sorted(model.features_of_words(words)[0]) == sorted(expected)
    assert any(word in model._training_words for word in words)
