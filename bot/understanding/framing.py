"""Questions ABOUT a right, not FOR someone: statistics, news, politics, school work, an employer's side.

"combien de personnes touchent le RSA en France" holds the word of a right
and nothing else the model could read as off-topic, so it was offered the RSA
as if the resident asked for it. What makes it off-topic is its framing: a
count over a population, a national scope, the news, a school essay. Those
framings are few and written the same way whatever the right, so they are
read by rule here, on the folded words, and the matcher declines what they
frame (offering the right as a button all the same).

An employer or a professional asking about their staff, patients or
billing ("embaucher un travailleur handicapé", "facturer une consultation
à la CPAM") is no resident asking for their own household either.

Two kinds of cues:
* strong ones frame the whole message even when the resident speaks of
  themselves ("des statistiques pour mon exposé", "le taux de chômage");
* a count or a share ("le nombre de chômeurs", "quel pourcentage des
  Français") frames it too, unless what is counted is the writer's own
  household or money, named right after it ("le nombre de personnes dans mon
  foyer", "le nombre d'enfants à charge", "quel pourcentage de mon salaire");
* weak ones (a count of people, the government, the news) only when the
  message says nothing of the writer: "combien de personnes dans mon foyer
  pour le RSA" or "j'ai vu à la télé que la CAF…, est-ce que j'y ai droit" are
  residents' own questions.
"""

from __future__ import annotations

import re

from bot.understanding.normalize import fold

# The writer speaks of their own situation (or of someone close: "ma mère", "mon fils").
_PERSONAL = frozenset(
    """
    je j jai jsuis jveux jpeux jsais chui moi me m mon ma mes mn nous notre nos on mien mienne
    perso personnellement
    """.split()
)
_POPULATION = (
    r"(?:personnes?|gens|francais|francaises|allocataires|beneficiaires|chomeurs|demandeurs|foyers|menages"
    r"|familles|retraites|jeunes|etudiants|pauvres|sdf|etrangers|salaries|habitants|bretons|brestois|logements"
    r"|dossiers|demandes|enfants|femmes|hommes|seniors|victimes)"
)
_SCOPE = (
    r"(?:en france|au niveau national|dans le pays|en europe|en bretagne|dans le finistere|dans le departement"
    r"|dans les departements|en tout|au total|par an|chaque annee|l an dernier|l annee derniere|cette annee"
    r"|en (?:19|20)\d\d|depuis (?:19|20)\d\d|selon l insee|d apres l insee|a l etat|pour l etat|au budget)"
)
# People nobody counts for their own sake: an office's clients or staff ("combien d'allocataires", "d'agents").
_COUNTED_PEOPLE = (
    r"(?:allocataires|beneficiaires|inscrits|agents|salaries|employes|fonctionnaires|chomeurs"
    r"|demandeurs d emploi|adherents|assures)"
)
# A count or a share: a fact of society ("le nombre de chomeurs", "quel pourcentage des francais")...
_QUANTITY = re.compile(
    r"\b(?:pourcentage(?: de| d| des| du)?|proportion (?:de|d|des|du)|nombre (?:de |d )"
    + _POPULATION
    + r"|combien (?:de |d |y a t il d |il y a d |ya d )"
    + _COUNTED_PEOPLE
    + r"|combien (?:de |d )(?:personnes|gens|francais|familles|foyers|menages|retraites|jeunes|etudiants)"
    r" (?:touchent|percoivent|beneficient|recoivent|vivent|dorment|renoncent)" + r")\b"
)
# ... unless what is counted is the writer's own household or money, named right after it: "le nombre
# de personnes dans mon foyer", "le nombre d'enfants a charge", "quel pourcentage de mon salaire".
_OWN_AFTER_QUANTITY = re.compile(
    r"(?: \w+){0,4}? (?:mon|ma|mes|mn|notre|nos|a charge|au foyer|du foyer|dans le foyer|chez moi|chez nous"
    r"|avec moi|avec nous)\b"
)
# Cues that frame a message whoever writes it.
_STRONG = re.compile(
    r"\b(?:statistiques?|stats|taux de (?:chomage|pauvrete|non recours|natalite)"
    r"|chiffres (?:du|de la|des|de l) (?:chomage|pauvrete|emploi|insee)"
    r"|insee|(?:un|mon|l|d|pour|cet) expose|dissertation|devoir d histoire|devoir de geographie|fiche de revision"
    r"|pour (?:un|mon|notre) devoir|(?:un|mon) devoir (?:sur|de ses|d eco|d economie|de ses|pour l ecole)"
    r"|l histoire (?:du|de la|des|de l)|history of|qui a (?:invente|cree)|memoire de master"
    r"|how many (?:people|families)|unemployment rate|statistics|percentage)\b"
)
# The offices residents deal with, named as organisations rather than as a desk to go to.
_OFFICE = (
    r"(?:caf|cpam|secu|securite sociale|mdph|france travail|pole emploi|ccas|cdas|msa|carsat|urssaf"
    r"|mission locale|france services|prefecture|mairie|departement|conseil departemental)"
)
# An office asked about as an organisation (its head, budget, staff), only when the writer says nothing of
# themselves: "qui est le directeur de la caf" is curiosity, "je veux écrire au directeur de la caf" a resident's.
_ORGANISATION = re.compile(
    r"\b(?:(?:budget|directeur|directrice|president|presidente|dirigeants?|effectifs?|organigramme|siege social"
    r"|chiffre d affaires|histoire|logo|salaire des agents|salaire du directeur) (?:de la |du |de l |des |d )"
    + _OFFICE
    + r"|qui dirige (?:la |le |l )?"
    + _OFFICE
    + r")\b"
)
# Cues that frame a message only when its writer says nothing of themselves.
_WEAK = re.compile(
    r"\b(?:combien (?:de |d )"
    + _POPULATION
    + r"\b.*\b(?:touchent|percoivent|beneficient|recoivent|vivent|sont|ont|dorment|renoncent)\b"
    r"|combien (?:de |d )"
    + _POPULATION
    + r"\b.*"
    + _SCOPE
    + r"|combien coute (?:le|la|l|les) .*"
    + _SCOPE
    + r"|combien (?:de |d )\w+(?: \w+)? (?:sont|ont ete) (?:envoyes|verses|distribues|attribues|accordes|donnes|payes)"
    r"|par departement|par region|carte interactive|"
    r"gouvernement|ministre|ministere|macron|president de la republique|assemblee nationale|senat|deputes"
    r"|senateurs|projet de loi|loi de finances|cour des comptes|conseil municipal|sondages?"
    r"|elections? (?:municipales|presidentielles?|legislatives|europeennes)"
    r"|journal de|aux infos|aux informations|a la tele|a la television|reportage|documentaire|podcast"
    r"|article de (?:journal|presse)|dans la presse|d apres la radio|a la radio|polemique|debats?"
    r"|un article|le journal|dans le journal|news about|d apres les infos|economistes|une etude"
    r"|un rapport|le rapport (?:annuel|parlementaire|du|de la)|candidats?|presidentielle|manifestations?|syndicats"
    r"|en quelle annee|evolution (?:du|de la|des|de l)|depuis dix ans|quel pays|autres pays|comparer"
    r"|en (?:allemagne|espagne|italie|suisse|belgique|suede|finlande|canada)|aux etats unis"
    r"|pour l etat|a l etat|en milliards|dans le budget|pour le budget|budget de la (?:secu|securite sociale)"
    r"|deficit|trou de la secu|inflation)\b"
)


# The writer asks as an employer or a professional serving others, not for their own household:
# "embaucher un travailleur handicapé", "facturer une consultation", "le contrat de mon salarié".
_EMPLOYER = re.compile(
    r"\b(?:(?:mon|mes|notre|nos) (?:employes?|salaries?|patients?|apprentis?|stagiaires?|saisonniers?)"
    r"|(?:embaucher|recruter|licencier|salarier|employer) (?:un|une|des|mon|ma|mes)"
    r"|facturer|teletransmettre|feuilles? de soins (?:electroniques?|a transmettre)"
    r"|(?:ma|notre) (?:societe|sarl|sas|pme|start up)|chiffre d affaires de (?:ma|mon|notre)"
    r"|je suis (?:medecin|infirmiere|infirmier|pharmacien|pharmacienne|kine|kinesitherapeute|dentiste|employeur"
    r"|patron|patronne|chef d entreprise|recruteur|recruteuse|dirigeant|dirigeante|gerant|gerante|notaire"
    r"|avocat|avocate)"
    r")\b"
)


def frames_as_statistics_or_news(text: str) -> bool:
    """True when `text` asks about a right as a fact of society (figures, news, school), not for anyone."""
    folded = fold(text)
    if _STRONG.search(folded) or _counts_society(folded) or _EMPLOYER.search(folded):
        return True
    if _PERSONAL.intersection(folded.split()):
        return False
    return _WEAK.search(folded) is not None or _ORGANISATION.search(folded) is not None


def _counts_society(folded: str) -> bool:
    """A count or share asked over a population, not over the writer's own household or money."""
    return any(not _OWN_AFTER_QUANTITY.match(folded, cue.end()) for cue in _QUANTITY.finditer(folded))
