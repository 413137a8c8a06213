"""What the bot says in its own words (not the knowledge base's): French, short, plain.

Kept in one file so that wording can be reviewed and changed without reading code.
"""

WELCOME = (
    "Bonjour, je suis Relais Droits.\n"
    "Je vous aide à trouver les aides et les droits auxquels vous avez droit, et une personne près de chez vous "
    "pour vous accompagner.\n"
    "Je ne suis pas une administration : je ne vois pas vos dossiers.\n"
    "Écrivez votre question avec vos mots, par exemple : « j'ai perdu mon travail » ou « aide pour le loyer ».\n"
    "Ce que je garde : votre quartier, lié à cette conversation, et les questions sans réponse, sans nom ni numéro "
    "et sans aucun lien avec vous, pour améliorer l'aide dans les quartiers. "
    "Pour effacer votre quartier : /oubli."
)
HELP = (
    "Comment ça marche :\n"
    "• Écrivez votre question, même avec des fautes, par exemple : « rsa », « mutuelle gratuite », « facture edf ».\n"
    "• Je vous réponds en quelques lignes et je vous donne un lieu près de chez vous où une personne peut vous aider.\n"
    "• /quartier : changer de quartier.\n"
    "• /droits : à quoi ai-je droit ? Un premier point en 7 questions, avec des boutons.\n"
    "• /rappels : voir ou arrêter vos rappels (le bouton « 🔔 Me le rappeler » sous certaines réponses).\n"
    "• Le bouton « 📞 Être rappelé(e) par une personne » : une personne de votre quartier vous rappelle.\n"
    "• /oubli : effacer ce que je garde sur cette conversation.\n"
    "Je lis seulement les messages écrits."
)
ASK_QUARTIER = "Dans quel quartier habitez-vous ? Je vous indiquerai un lieu d'aide près de chez vous."
UNKNOWN = (
    "Je ne connais pas encore la réponse à cette question. Je la garde (sans votre nom) pour que l'équipe "
    "puisse l'ajouter.\nUne personne peut vous aider dès maintenant :"
)
UNKNOWN_NOT_KEPT = (
    "Je ne connais pas encore la réponse à cette question.\nUne personne peut vous aider dès maintenant :"
)
NO_WORDS = (
    "Je lis les mots, pas les émojis ni les signes seuls. Écrivez votre question avec vos mots, "
    "par exemple : « je n'arrive pas à payer mon loyer ».\nUne personne peut aussi vous aider :"
)
NOT_UNDERSTOOD = (
    "Je n'ai pas compris. Dites-moi ce qui vous arrive, avec vos mots, par exemple : "
    "« je n'arrive pas à payer mon loyer » ou « j'ai perdu mon travail ».\nUne personne peut aussi vous aider :"
)
UNKNOWN_COMMAND = (
    "Je ne connais pas cette commande. Tapez /aide pour voir ce que je sais faire, "
    "ou écrivez votre question avec vos mots.\nUne personne peut aussi vous aider :"
)
OTHER_SCRIPT = (
    "Je lis seulement le français, et un peu l'anglais, écrits avec les lettres a, b, c… "
    "Vous pouvez écrire avec des fautes, ou demander à un proche de vous aider.\n"
    "I can read French and some English.\nUne personne peut aussi vous aider :"
)
FAR_FROM_BREST = (
    "Vous semblez loin de Brest (à environ {km} km). Je connais seulement les lieux d'aide de Brest. "
    "Près de chez vous, cherchez un espace France Services : on vous y aide gratuitement pour vos démarches."
)
ACKNOWLEDGED = (
    "D'accord. Vous pouvez m'écrire une autre question quand vous voulez.\nUne personne peut aussi vous aider :"
)
STALE_BUTTON = "Ce bouton n'est plus valable. Écrivez-moi votre question."
HESITATE = "Je ne suis pas sûr d'avoir compris. Vous voulez parler de… ?"
NON_TEXT = "Je lis seulement les messages écrits. Écrivez-moi votre question avec vos mots."
ATTACHMENT_NOT_READ = (
    "Je n'ai pas regardé ce que vous avez envoyé avec (photo, fichier, vocal) : je lis seulement les messages "
    "écrits. J'ai répondu au texte écrit."
)
VOICE = (
    "Je ne peux pas écouter les messages vocaux : je lis seulement les messages écrits.\n"
    "Vous préférez parler à quelqu'un ? Appelez ou passez :"
)
DONT_KNOW = (
    "Ce n'est pas grave. Dites-moi ce qui vous arrive, avec vos mots, par exemple : "
    "« j'ai perdu mon travail » ou « je n'arrive pas à payer le loyer ». "
    "Vous pouvez aussi faire un premier point avec moi, ou parler à une personne :"
)
PLACE_ASKED_NEXT = "Vous avez une question sur une aide ou une démarche ? Écrivez-la avec vos mots."
BEFORE_QUARTIER = "Sans attendre, pour tout Brest, une personne peut vous aider :"
PHONE_ALONE = (
    "C'est un numéro de téléphone : je ne le garde pas. Pour qu'une personne de l'équipe de médiation vous "
    "rappelle, appuyez sur « 📞 Être rappelé(e) par une personne », puis écrivez votre numéro."
)
# After the emergency numbers, the person's other question: said in a line, answered by a button
# (bot.conversation.emergency); when the question is asked but not surely recognised, ask it again alone.
OTHER_QUESTION = "Votre autre question, sur « {title} » : la réponse est sur le bouton en bas."
OTHER_QUESTION_BUTTON = "Réponse : "
OTHER_QUESTION_AGAIN = "Vous avez posé une autre question : écrivez-la-moi dans un nouveau message, je vous réponds."
# A message that is only a cry for help (« au secours », « aidez-moi »): every danger's numbers,
# then a question, never a right (bot.understanding.cry_for_help).
CRY_FOR_HELP = "Vous avez besoin d'aide tout de suite ? Appelez un de ces numéros gratuits :"
CRY_FOR_HELP_QUESTION = "Dites-moi en quelques mots ce qui se passe : je vous donne le bon numéro et la bonne aide."
