"""First names common among Brest's residents: what tells a name from an ordinary word when case cannot.

Typed in lowercase, « moi c'est fatima » and « je suis fatima » give no
capital letter to go on, and what follows « je suis » is mostly a state
(« je suis fatiguée », « je suis perdue »): only knowing the word as a first
name tells it apart. The other way round, a state typed with a capital and
without its accent (« Je suis Fatigue ») is no name, unless that accentless
form is a first name itself (« Marie » for « mariée »): a name must not leak.

The list is deliberately of first names only, in the many origins of the
quartiers (French and Breton, North and West African, Turkish, Eastern
European, English), in lowercase with their usual accents; they are found
typed with or without them. Words that are also
everyday French (« rose », « claire », « grâce », « prince », « ange »,
« patience ») are left out: after « je suis » they are more often what they
say. A missing name only means a lowercase name may get through, as before.
"""

from __future__ import annotations

import unicodedata

_NAMES = """
jean pierre paul jacques michel philippe alain patrick nicolas christophe stéphane david laurent julien
thomas sébastien frédéric olivier éric pascal thierry christian daniel bruno franck vincent antoine
alexandre maxime romain kevin jordan anthony mathieu matthieu guillaume benjamin lucas hugo louis gabriel
léo arthur jules raphaël nathan enzo théo tom noah ethan mathis clément baptiste quentin florian damien
jérémy dylan loïc yann gwenaël erwan ronan tanguy goulven maël gaël killian brendan corentin yannick
hervé gilles bernard rené andré marcel roger gérard robert henri joseph claude dominique françois marc
serge didier denis yves fabrice cédric ludovic arnaud sylvain jérôme xavier grégory mickaël michael
steven jonathan adrien alexis valentin axel tristan lukas timéo sacha nolan evan gaëtan jérémie cyril
jean-pierre jean-luc jean-marc jean-claude jean-paul jean-michel jean-françois jean-yves
sophie marie nathalie isabelle sylvie catherine françoise christine monique nicole valérie sandrine
stéphanie céline julie aurélie émilie camille laura léa manon chloé emma jade louise alice lina inès
sarah juliette zoé lou anna léna mila ambre lola clara lucie pauline marine mélanie élodie audrey
caroline virginie véronique martine brigitte jacqueline danielle chantal annie josiane odile yvonne
jeanne madeleine simone suzanne denise paulette gisèle colette huguette nadine patricia karine
laetitia vanessa jessica mélissa océane morgane gwenaëlle nolwenn soizic maïwenn enora katell anaïs
justine margaux mathilde charlotte marion élise agathe romane eva nina maëlys jennifer cindy sabrina
amandine coralie alexandra sonia béatrice hélène anne agnès florence corinne laurence muriel évelyne
ghislaine fabienne marie-claire marie-christine anne-marie marie-france marie-laure annick maryvonne
mohamed mohammed mohammad muhammad ahmed ahmad ali omar karim karima fatima fatma aïcha aisha khadija
amina yasmine yasmina samira nadia leila leyla malika rachid said youssef yusuf mehdi bilal hamza
ibrahim ismaël ismail nour rayan imane meriem myriam zineb zohra houda hakim nabil farid mourad
sofiane samir yacine walid khaled abdel abdelkader abdallah mustapha mustafa hassan hussein jamal jamel
naima souad rachida yamina hafsa salma lamia nassim anis amine ilyès younes ayoub idriss soumaya hiba
sana hanane latifa habiba djamila farida kenza nawel wassim riad kamel redouane brahim driss
mamadou moussa ousmane amadou ibrahima abdoulaye aminata fatou mariam mariama awa aissatou kadiatou
oumar seydou boubacar cheikh modou binta coumba ndeye khady adama sekou lamine souleymane hawa djeneba
ramatoulaye oumou issa alassane aliou saliou penda astou bineta
mehmet ahmet emre burak ayse zeynep elif fatih hatice esra kemal murat serkan
olga natalia natalya irina tatiana svetlana anastasia oksana elena ivan dmitri sergei sergey andrei
mikhail nikolai vladimir yulia ekaterina ludmila galina ana maria ion mihai bogdan andreea ioana alina
florin marius petru arben besnik ardit valbona
christelle esther ruth jonas moïse rebecca deborah josué emmanuel emmanuelle
john james jack harry george olivia amelia sophia william emily jessica chris
"""

WRITTEN: frozenset[str] = frozenset(_NAMES.split())  # as the list spells them, accents included


def fold_name(word: str) -> str:
    """A word lowercased, accents dropped (« Inès » → « ines »): how names are compared."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


FIRST_NAMES: frozenset[str] = frozenset(fold_name(n) for n in WRITTEN)  # folded


def spellings(folded: frozenset[str]) -> frozenset[str]:
    """How the names of `folded` are typed: as the list spells them and without accents."""
    return frozenset(n for n in WRITTEN if fold_name(n) in folded) | folded
