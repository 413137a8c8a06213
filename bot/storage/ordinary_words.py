"""Everyday words of a message that a name is followed by without their being a surname.

Typed fast, a resident introduces themself and goes straight on with the need:
« moi c'est fatima urgent », « moi c'est karim rsa bloqué », « Moi C'est Fatima
Urgent » (a phone that capitalises every word). After a first name, a word that
does not go on with the message is taken for a surname, so that « fatima benali »
loses both; these words go on with it, and must survive: the need is what the
laboratoire reads.

The list is of words residents write about their rights and their day (benefits
and offices, papers, money, housing, family, time, asking, SMS and English
helpers), in lowercase as typed; they are compared without accents and with
their plural and feminine forms. A word is also ordinary by an ending no surname
has (« -tion », « -ité », « -ique »…). Words that are also common surnames
(« petit », « roux », « fontaine », « martin », « leblanc ») are left out: a
surname must never get through, and losing a word costs less.

Self-contained on purpose: `bare_names` and `redact` import it.
"""

from __future__ import annotations

import re
import unicodedata

_WORDS = """
urgent urgence urgences vite rapide svp stp please help aide aides aider aidez besoin besoins
question questions probleme problème problemes soucis souci info infos information renseignement
dossier dossiers demande demandes papier papiers document documents formulaire courrier lettre mail
rendez-vous rdv appel appeler rappeler réponse reponse réponses delai délai retard attente
rsa apl alf als caf cpam css cmu ame aah asf ars paje mdph ccas cdas pch rqth ada ofii ofpra cnda
anef prefecture préfecture mairie impots impôts impot impôt urssaf msa crous bibus pimms
pole emploi chomage chômage travail boulot taf job contrat cdd cdi interim intérim salaire paie
formation stage apprentissage mission locale retraite pension allocation allocations alloc allocs
prime bourse bourses cantine mutuelle santé sante médecin medecin docteur hôpital hopital soins
carte vitale titre séjour sejour visa récépissé recepisse passeport nationalité asile réfugié
argent sous euros budget dette dettes credit crédit banque compte facture factures loyer loyers
electricite électricité gaz eau chauffage energie énergie edf engie
logement appartement appart maison hlm bailleur propriétaire proprio expulsion hébergement
hebergement foyer squat rue dehors voiture
enfant enfants bebe bébé bb gosse gosses petit-fils mari femme épouse epouse copain copine ex
famille parents frère frere soeur sœur mère mere père pere fils fille filles garçon
école ecole collège college lycée lycee crèche creche nounou garde
aujourd'hui aujourdhui auj demain hier matin soir ce cette maintenant depuis toujours encore déjà
lundi mardi mercredi jeudi vendredi samedi dimanche semaine mois an année annee
bonjour bonsoir salut slt bjr bsr cc coucou hello hi hey merci mrc thanks thank sorry dsl
je j'ai jai jsuis chui suis ai avais veux voudrais voudrai peux pouvez pourriez sais sait savoir
comprends comprend comprendre connais recois reçois reçu recu touche touché perdu attends attend
cherche habite vis travaille appelle ecris écris demande voila voilà
ici ça ca cela quoi comment pourquoi combien quand où ou oui non ok okay dac
need want can my i me you hello please urgent
quartier bellevue lambezellec lambé lambe europe saint-pierre recouvrance keredern brest
mot message bot relais droit droits aide-moi
"""


def fold(word: str) -> str:
    """A word lowercased, accents dropped (« Problème » → « probleme »): how words are compared."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


ORDINARY: frozenset[str] = frozenset(fold(w) for w in _WORDS.split())

# Endings of everyday nouns and adjectives that no surname has (« situation », « priorité », « logique »).
_ENDINGS = r"(?:tion|tions|sion|sions|ité|ités|ite|ites|ique|iques|isme|ismes)"
# Plural and feminine forms of the listed words (« urgente », « problemes », « factures »).
_FORMS = r"(?:e|s|es|x)?"


def _alternation(words: frozenset[str]) -> str:
    """An alternation of `words`, longest first, also as typed with the accents they were listed with."""
    forms = words | {w for w in _WORDS.split()}
    return r"(?:" + "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True)) + r")"


# A word of the message, as a lookahead body: used as « (?!(?i:ORDINARY_WORD)) » before a surname.
ORDINARY_WORD = r"(?:" + _alternation(ORDINARY) + _FORMS + r"|[a-zà-öø-ÿ'’\-]{3,}" + _ENDINGS + r")(?![\w'’\-])"


def is_ordinary(word: str) -> bool:
    """Whether `word` goes on with a message rather than being a surname (« urgente » yes, « benali » no)."""
    return re.fullmatch(ORDINARY_WORD, word, flags=re.IGNORECASE) is not None
