import pytest

from bot.understanding.normalize import Lexicon, Normalizer, fold


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Sécurité Sociale", "securite sociale"),
        ("L'APL", "l apl"),
        ("MERCIIIII!!!", "merci"),
        ("  beaucoup   d'espaces ", "beaucoup d espaces"),
        ("œuvre", "oeuvre"),
        ("12€", "12 euros"),
        ("appel au 115", "appel au 115"),
        ("allocation", "allocation"),  # doubled letters are kept
        ("", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_lexicon_rewrites_whole_words_longest_first():
    lexicon = Lexicon({"pole emploi": "france travail", "pole": "poteau", "cmu": "css"})
    assert lexicon.rewrite("inscription pole emploi".split()) == ["inscription", "france", "travail"]
    assert lexicon.rewrite("le pole nord".split()) == ["le", "poteau", "nord"]
    assert lexicon.rewrite("cmuc".split()) == ["cmuc"]  # not inside a word


def test_normalizer_applies_sms_forms_after_folding():
    normalizer = Normalizer(Lexicon({"jsp": "je ne sais pas", "Pôle Emploi": "France Travail"}))
    assert normalizer("JSP si Pôle-Emploi m'a radié") == "je ne sais pas si france travail m a radie"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("ÉTÉ à Brest", "ete a brest"),
        ("Œuvre, cœur", "oeuvre coeur"),
        ("50€ naïve São", "50 euros naive sao"),
        ("plain ascii TEXT", "plain ascii text"),
        ("l'aide—vite", "l aide vite"),
    ],
)
def test_fold_reads_accents_ligatures_and_plain_ascii_alike(text, folded):
    from bot.understanding.normalize import fold

    assert fold(text) == folded


def test_a_text_without_any_lexicon_word_is_returned_as_it_is_not_shared():
    from bot.understanding.normalize import Lexicon

    lexicon = Lexicon({"cmu": "css", "pole emploi": "france travail"})
    words = ["mon", "pole", "de", "sante"]
    rewritten = lexicon.rewrite(words)
    assert rewritten == words and rewritten is not words
    assert lexicon.rewrite(["la", "cmu", "et", "pole", "emploi"]) == ["la", "css", "et", "france", "travail"]


@pytest.mark.parametrize(
    "text, limit, folded",
    [
        ("Loyer IMPAYÉ depuis", 9, "loyer imp"),  # cut before folding, even when the text was folded whole before
        ("Loyer IMPAYÉ depuis", None, "loyer impaye depuis"),
        ("Loyer IMPAYÉ depuis", 2000, "loyer impaye depuis"),
        ("éa" * 1050, None, "ea" * 1050),  # longer than a question may be, read whole when asked
        ("éa" * 1050, 2000, "ea" * 1000),
        ("éa" * 1050, 3000, "ea" * 1050),
    ],
)
def test_fold_reads_only_the_first_limit_characters_whatever_it_folded_before(text, limit, folded):
    fold(text)  # remembered whole: a later cut must still be cut
    assert fold(text, limit=limit) == folded
    assert fold(text, limit=limit) == folded
