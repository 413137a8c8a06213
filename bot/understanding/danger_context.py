"""Whether a message tells a danger that is over, or talks about one as a topic, rather than living it now.

Residents often name a danger that is not theirs today: "j'ai fait une
tentative de suicide il y a huit ans, aujourd'hui je vais bien", "mon père me
frappait quand j'étais petite, ça fait 20 ans", "je prépare un exposé sur les
violences conjugales", "dans le film d'hier le héros se suicide". The learned
model reads the danger words and the exact expressions fire whatever the tense;
giving the emergency numbers to such a message is a false alarm that hides
the answer the person asked for.

So a sentence that carries a far-past marker ("il y a dix ans", "quand
j'étais petite", "c'est fini") or a topic marker (a film, an exposé, a
leaflet) is *distant*: the detector then asks much stronger evidence of it and
the exact expressions found only in it no longer alert on their own.

A clause that asks about the help itself ("le 3114 est gratuit ?", "est-ce
que le 115 répond aussi aux bénévoles ?", "je voudrais devenir famille
d'accueil pour des enfants en danger") names a danger without living it too;
it is read by the model as usual, but the exact expressions found only in it
do not alert on their own.

Recall comes first, so this never applies when the message also says that
something is happening now or again ("encore", "ce soir", "depuis", "il
recommence", "j'ai peur"…): one present cue anywhere and the whole message is
read as before. Only far-past markers count: "hier" or "la semaine dernière"
are a danger of now.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.understanding.normalize import fold

# How many years, written in digits or words ("il y a dix ans", "ça fait des années").
_COUNT = (
    r"(?:\d+|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
    r"vingt|trente|quarante|cinquante|quelques|plusieurs|des|bien des|de nombreuses|nombreuses|bcp d|beaucoup d)"
)
_YEARS = rf"{_COUNT} (?:ans?|annees?)"

# A danger told as long over: far-past time markers and "it is over" phrases (folded text: no accents).
_OVER = (
    rf"(?:(?:il )?y a|ya) {_YEARS}(?! qu)",
    r"(?:(?:il )?y a|ya) (?:bien |tres |trop )?longtemps(?! qu)",
    r"(?:j etais|jetais|j ai ete|jai ete)(?: [a-z]+){1,3} a \d+ ans",
    rf"ca fait {_YEARS}(?! qu)",
    rf"{_YEARS} (?:plus tot|auparavant|de ca)",
    r"(?:quand|lorsque|lorsqu) (?:j etais|jetais|j avais|javais|on etait|nous etions)"
    r" (?:petite?s?|enfants?|jeunes?|ados?|adolescente?s?|gamine?s?|gosses?|bebes?|mineure?s?|\d+ ans"
    r"|au college|au lycee|en primaire|a l ecole|etudiante?s?)",
    r"(?:dans|pendant|durant) (?:mon|ma|notre) (?:enfance|jeunesse|adolescence)",
    r"autrefois|jadis|dans le passe|par le passe|a l epoque|a cette epoque|dans les annees \d+",
    r"c est (?:fini|termine|du passe|derriere moi|derriere nous|loin|du passe tout ca|bien fini)",
    r"(?:tout )?(?:ca|cela) est (?:loin|fini|termine|du passe|derriere moi|derriere nous)",
    r"(?:je m en suis|j en suis|on s en est|nous nous en sommes) sortie?s?",
    r"(?:aujourd hui |maintenant )?(?:je vais|ca va|tout va) (?:bien|mieux)(?: maintenant| aujourd hui)?",
    r"(?:je suis|je me suis) (?:guerie?|remise?|reconstruite?)",
    r"plus maintenant|ce n est plus le cas|c est plus le cas",
    r"years ago|long time ago|when i was (?:a )?(?:kid|child|little|young|teen|teenager)|in the past"
    r"|it s over|i m (?:fine|ok|okay|better) now",
)
# The danger as a topic: a film, a school work, a leaflet, a training, the news.
_TOPIC = (
    r"(?:un|une|le|la|l|ce|cette|mon|ma|des|les) (?:film|serie|documentaire|docu|reportage|roman|livre|bd"
    r"|manga|chanson|jeu video|emission|podcast|piece de theatre|article|fait divers)",
    r"a la tele|a la television|a la radio|aux infos|au journal|dans le journal|sur netflix",
    r"(?:un|une|mon|ma|notre|pour un|pour une|pour mon|pour ma) (?:expose|memoire|these|devoir|rapport de stage"
    r"|travail de groupe|tpe|projet scolaire|dissertation|oral)",
    r"(?:formation|atelier|conference|debat|stage|campagne|sensibilisation|exposition|colloque) "
    r"(?:sur|contre|de prevention)",
    r"(?:une|la|cette|des|les) (?:brochure|plaquette|affiche|flyer|depliant|prospectus)s?",
    r"for (?:a|my) (?:school|class|project|essay)|in (?:a|the) (?:movie|film|series|book)",
)
# Something happening now or again: with one of these, nothing in the message is distant.
_PRESENT = (
    # "encore" tells it goes on, except "je peux encore porter plainte ?": still possible, about the past.
    r"encore(?! porter plainte| deposer plainte| faire (?:une|des) demarches?| possible| le droit| droit| temps)",
    r"toujours|ce soir|cette nuit|ce matin|cet apres midi|en ce moment|actuellement|a l instant",
    r"tout de suite|(?:maintenant|aujourd hui) (?:il|elle|ils|elles|mon|ma|mes)|hier|tout a l heure",
    rf"depuis(?! longtemps| des annees| {_COUNT} ans)",  # "clean depuis longtemps" tells it is over
    r"(?:aujourd hui|maintenant|la|now) c est (?:mon|ma|mes|lui|elle|son|sa|ses|moi|nous)",
    r"recommencee?s?|recommencent|reprend|reprennent|revient|reviennent|de nouveau|a nouveau|refait",
    r"(?:tous|toutes) les (?:jours|soirs|nuits|semaines)|chaque (?:jour|soir|nuit|semaine|fois)",
    r"cette semaine|ce week end|ce weekend|ces jours ci|en ce moment",
    r"peur|au secours|aidez moi|aide moi|urgent|vite|danger",
    r"j en peux plus|je n en peux plus|jen peux plus|je vais mal|ca va pas|ca ne va pas|j y pense",
    r"envie (?:de mourir|de crever|d en finir|de me tuer|de disparaitre|de me faire du mal)",
    rf"(?:ca fait|il y a|y a) (?:{_COUNT}) (?:ans?|annees?|mois|semaines?|jours?) qu",
    r"tonight|right now|now (?:he|she|they|my)|again|still|today|help|scared|afraid",
)


# A clause asking about the help itself: a number or a service, and what one asks about it.
_SERVICE = r"(?:le|la|les|du|au|aux|des) (?:\d{2,4}|numeros?|lignes? d ecoute|samu social|samu|sos amitie|pompiers)"
_ABOUT_SERVICE = (
    r"gratuite?s?|anonymes?|c est quoi|qu est ce que c est|ca marche comment|comment ca marche|fonctionnent?",
    r"(?:repond|repondent|reponde) (?:aussi|a qui|aux)|joignables?|difference|a quoi (?:sert|servent)",
    r"ouverts? (?:le|la|quand|a quelle)|horaires|depuis (?:un|mon) portable|depuis l etranger|how does|is it free",
)
# Helping others rather than being in danger: volunteering, fostering, giving.
_HELPING = (
    r"benevoles?|benevolat|volunteer(?:ing)?|devenir famille d accueil|etre famille d accueil|faire un don",
    r"(?:aider|soutenir|accompagner|help) (?:les|des|aux) (?:femmes|personnes|gens|familles|victimes|sans abris?"
    r"|sdf|enfants|jeunes|homeless|people|women)",
)


def _compile(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])")


_OVER_CUE = _compile(_OVER)
_TOPIC_CUE = _compile(_TOPIC)
_PRESENT_CUE = _compile(_PRESENT)
_SERVICE_CUE = _compile((_SERVICE,))
_ABOUT_SERVICE_CUE = _compile(_ABOUT_SERVICE)
_HELPING_CUE = _compile(_HELPING)
# Asking about help stops being a question about it when the person says it is happening to them now.
_NOW_CUE = _compile((*_PRESENT[:2], r"peur|au secours|aidez moi|aide moi|help me|scared|afraid|right now|tonight"))


@lru_cache(maxsize=4096)
def is_distant(folded: str) -> bool:
    """Whether a folded sentence tells a danger long over, or one that is only a topic (a film, an exposé)."""
    return bool(_OVER_CUE.search(folded) or _TOPIC_CUE.search(folded))


@lru_cache(maxsize=4096)
def says_now(folded: str) -> bool:
    """Whether a folded text says that something is happening now or again."""
    return bool(_PRESENT_CUE.search(folded))


def distant_parts(sentences: list[str]) -> list[bool]:
    """For each sentence of a message, whether it is distant; none is when the message says "now" anywhere.

    A present cue in any sentence cancels them all: "il y a dix ans il me
    battait. Ce soir il recommence" is a danger of now, sentence one included.
    """
    whole = fold(" . ".join(sentences))
    if not is_distant(whole) or says_now(whole):  # most messages: one look at the whole is enough
        return [False] * len(sentences)
    return [is_distant(fold(sentence)) for sentence in sentences]


@lru_cache(maxsize=4096)
def asks_about_help(folded: str) -> bool:
    """Whether a folded clause asks about a help line or service, or about helping others, and says nothing of now.

    "le 3919 c'est gratuit ?" or "je voudrais être bénévole au 115" hold a
    danger's words, not a danger. One present cue ("ce soir", "j'ai peur")
    and the clause is read as usual.
    """
    if _NOW_CUE.search(folded):
        return False
    about_service = bool(_SERVICE_CUE.search(folded) and _ABOUT_SERVICE_CUE.search(folded))
    return about_service or bool(_HELPING_CUE.search(folded))


def may_ask_about_help(folded: str) -> bool:
    """Whether a folded text names a help line or helping others at all: most messages do not, one look suffices."""
    return bool(_SERVICE_CUE.search(folded) or _HELPING_CUE.search(folded))
