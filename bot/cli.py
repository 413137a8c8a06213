"""Command line: `python -m bot …` (also installed as `relais-droits`).

Each command is a thin shell around the library: read options, call one
function, print. `ask --jsonl` and `export --json` are read by evaluation tools
outside this repository: their shapes are a contract (see README).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.channels.console import CONSOLE_KEY, QUIT, ConsoleSession, render
from bot.cli_errors import show_in_french
from bot.cli_help import FrenchGroup
from bot.config import FACT_MAX_AGE_DAYS, RETENTION_DAYS, Settings, load_settings
from bot.conversation import Conversation, MemoryRecorder
from bot.conversation.dont_know import says_dont_know
from bot.conversation.emergency import plan_emergency
from bot.conversation.place_question import named_place
from bot.conversation.quartier_words import lookup_quartier
from bot.conversation.suggestions import openable
from bot.french_os import french_reason
from bot.knowledge import OFFTOPIC, DangerDataError, Engine, KnowledgeBase, KnowledgeError, load_knowledge
from bot.knowledge.checks import coverage_summary, freshness_summary, lookalike_phrasings, stale_facts, thin_quartiers
from bot.knowledge.engine import missing_entries_warning, model_cache_in
from bot.understanding.cry_for_help import is_bare_cry_for_help
from bot.understanding.gazetteer import Gazetteer
from bot.understanding.normalize import fold

if TYPE_CHECKING:  # the rights check is imported by its command only
    from bot.orientation.evaluate import Suggestion

DANGER_DATA_BROKEN = (
    "les données d'urgence ({directory}/urgences/) sont absentes ou invalides : le bot ne démarre pas sans elles, "
    "pour ne jamais laisser une personne en danger sans les bons numéros. Corrigez les lignes ci-dessus "
    "(python -m bot validate)."
)


MISSING_KNOWLEDGE = (
    "le dossier « {directory} » n'existe pas : base de connaissances introuvable. "
    "Donnez le dossier de la base (celui qui contient droits/, lieux/, quartiers/…), par exemple : "
    "--knowledge knowledge, ou RELAIS_KNOWLEDGE"
)
NO_DATA_YET = (
    "Pas encore de données : la base {path} n'existe pas. Le bot la crée quand il reçoit ses premières "
    "questions sur Telegram (python -m bot run). Si elle est ailleurs, indiquez-la avec RELAIS_DB."
)


def _knowledge_dir(ctx: click.Context) -> Path:
    """The knowledge folder given (or the default), or one French sentence when it does not exist.

    A mistyped path otherwise gave « dossier:1: … introuvable » then a second
    error, or, for the laboratoire's commands, a report without any quartier.
    """
    directory: Path = ctx.obj["knowledge"]
    if not directory.is_dir():
        raise click.ClickException(MISSING_KNOWLEDGE.format(directory=directory))
    return directory


def _engine(
    ctx: click.Context, *, disk_cache: bool = True, reads: bool = False, wait_for_meaning: bool = False
) -> Engine:
    """Load the knowledge base once per command, or stop with the problems in French.

    `disk_cache=False` (`ask`, which promises to write no user data) uses the model cache
    folder only if the data directory already exists, and never creates it.
    `reads`: the command reads residents' messages, so the sentence reading
    (RELAIS_SENTENCES) is built in the background; `wait_for_meaning`: a batch of
    questions is read alike, all with it, never the first ones without it.
    """
    directory = _knowledge_dir(ctx)
    settings = ctx.obj["settings"]
    cache = model_cache_in(settings.model_cache_dir, create=disk_cache)
    try:
        engine = Engine.load(directory, cache=cache, sentences=reads and settings.sentences)
    except KnowledgeError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        if isinstance(exc, DangerDataError):
            raise click.ClickException(DANGER_DATA_BROKEN.format(directory=directory)) from None
        raise click.ClickException(f"impossible de charger la base de connaissances {directory}") from None
    # Said before anything else, so nobody takes the bot's silence on those topics for an answer.
    warning = missing_entries_warning(engine.missing)
    if warning:
        click.echo(warning, err=True)
    if wait_for_meaning:
        engine.wait_for_sentences()
    return engine


@click.group(cls=FrenchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--knowledge",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Dossier de la base de connaissances (défaut : $RELAIS_KNOWLEDGE, sinon knowledge/ du dépôt).",
)
@click.pass_context
def cli(ctx: click.Context, knowledge: Path | None) -> None:
    """Relais Droits : trouver ses droits sociaux à Brest, et une personne pour aider."""
    settings = load_settings()
    ctx.obj = {"settings": settings, "knowledge": knowledge or settings.knowledge_dir}


# ---------------------------------------------------------------- console conversation


def _check_quartier(kb: KnowledgeBase, quartier: str, gazetteer: Gazetteer | None = None) -> str:
    """The --quartier's id, read by the chat's own lookup (`lookup_quartier`): an id, a name
    ("Quatre Moulins", "Lambé"), a priority neighbourhood ("Kérourien", "Keredern").

    A place the base is unsure of is taken with a note « à confirmer » on standard error;
    a close spelling ("europ") is refused with the name meant, never taken on a guess.
    """
    found = lookup_quartier(kb, gazetteer or Gazetteer(kb), quartier)
    if found.quartier is not None:
        return found.quartier
    names = " ou ".join(kb.quartiers[q].name for q in found.candidates)
    known = ", ".join(sorted(kb.quartiers))
    if len(found.candidates) == 1 and not found.close_spelling:
        click.echo(f"{found.place} : quartier {names} (à confirmer)", err=True)
        return found.candidates[0]
    if found.close_spelling:
        message = f"quartier inconnu « {quartier} » : vouliez-vous dire {names} ? (choix : {known})"
    elif found.candidates:
        message = f"« {quartier} » peut être {names} : donnez le quartier (choix : {known})"
    else:
        message = f"quartier inconnu « {quartier} » (choix : {known})"
    raise click.BadParameter(message, param_hint="--quartier")


def _quartier_option(ctx: click.Context, quartier: str | None) -> str | None:
    """A laboratoire command's --quartier as an id, read like the chat's (None stays None)."""
    if quartier is None:
        return None
    return _check_quartier(load_knowledge(_knowledge_dir(ctx)).kb, quartier)


@cli.command()
@click.option("--quartier", "-q", default=None, help="Votre quartier (ex. bellevue, europe).")
@click.pass_context
def chat(ctx: click.Context, quartier: str | None) -> None:
    """Conversation dans le terminal : une réponse par ligne écrite (interactif ou par tube)."""
    interactive = sys.stdin.isatty()
    engine = _engine(ctx, reads=True, wait_for_meaning=not interactive)  # piped: every line read alike
    session = ConsoleSession(Conversation(engine, MemoryRecorder(), channel="console"))
    if quartier:
        quartier = _check_quartier(engine.current.kb, quartier, engine.current.matcher.gazetteer)
        session.choose_quartier(quartier)
    if interactive:
        click.echo(
            "Relais Droits — écrivez votre question (/quitter ou Ctrl-D pour quitter). "
            "Tapez le numéro d'un choix pour le sélectionner."
        )
    while True:
        if interactive:
            click.echo("> ", nl=False)
        line = sys.stdin.readline()
        if not line or line.strip().lower() in QUIT:
            break
        text = session.handle(line)
        if text is None:
            continue
        click.echo(text)
        click.echo("")


# ---------------------------------------------------------------- ask


def ask_record(engine: Engine, question: str) -> dict[str, Any]:
    """The documented `ask --jsonl` shape: keep these keys stable, only ever add.

    In an emergency, `id` is the entry that fits the danger (or null) whatever
    else matched, and `suggestions` holds only the other question the message
    clearly asks, as the conversation shows it. `lieu` is the place the reply
    gives when the message asks where a place is (« c'est où la mairie de
    Lambé ? »), so tools can tell such a reply from an entry's answer.
    """
    snapshot = engine.current
    # The conversation reads a bare "je sais pas" before any danger (those words alone name none):
    # the record must not announce numbers the bot never gives ("je sé pas" read as a danger).
    dont_know = says_dont_know(question)
    # « au secours » alone: every danger's numbers and a question, no kind known, never a right.
    cry = not dont_know and is_bare_cry_for_help(question)
    plan = None if dont_know or cry else plan_emergency(snapshot, question)
    # As the conversation shows it: only entries a resident can open, nothing for a bare "je sais pas".
    match = openable(snapshot.kb, snapshot.matcher.match(question))
    if dont_know:
        match = dataclasses.replace(match, entry_id=None, suggestions=[], second_need=None)
    # As the conversation decides: a danger first, a place said alone is no place asked for.
    asked = None if plan or dont_know or match.place_only else named_place(snapshot.kb, question, match.quartier)
    record: dict[str, Any] = {
        "question": question,
        "id": match.entry_id,
        "score": match.score,
        "quartier": match.quartier,
        "suggestions": list(match.suggestions),
        "urgence": None,
        "quartier_candidates": list(match.quartier_candidates),
        "urgences": [],
        "lieu": asked.id if asked is not None else None,
    }
    if plan:
        suggestions = [plan.other_id] if plan.other_id else []
        record.update(id=plan.entry_id, urgence=plan.kind, suggestions=suggestions, urgences=list(plan.kinds))
    if cry:
        record.update(id=None, suggestions=[], lieu=None)
    record["appel_aide"] = cry
    return record


def jsonl_questions(lines: Iterable[str]) -> Iterator[str]:
    """The questions of `ask --jsonl`'s input, one per non-blank line, as the tool wrote them.

    A file saved on Windows ends its lines with \r\n (standard input does not
    translate them) and may start with a byte-order mark: neither is part of
    the question a tool will look its answer up by.
    """
    for number, raw in enumerate(lines):
        line = raw.rstrip("\n").removesuffix("\r")
        if number == 0:
            line = line.removeprefix("\ufeff")
        if line.strip():
            yield line


@cli.command()
@click.argument("question", required=False)
@click.option(
    "--jsonl", is_flag=True, help="Lire une question par ligne sur l'entrée standard, écrire un JSON par ligne."
)
@click.option("--quartier", "-q", default=None, help="Quartier supposé pour la réponse.")
@click.pass_context
def ask(ctx: click.Context, question: str | None, jsonl: bool, quartier: str | None) -> None:
    """Poser une question et afficher la réponse (n'écrit rien sur le disque)."""
    if not jsonl and not question:
        raise click.UsageError("donnez une question, ou --jsonl pour lire l'entrée standard")
    if jsonl and (question or quartier):  # said, not silently dropped: each line is read on its own
        ignored = " et ".join(name for name, given in (("QUESTION", question), ("--quartier", quartier)) if given)
        click.echo(
            f"attention : avec --jsonl, {ignored} ignoré(s) : chaque ligne de l'entrée standard est lue seule "
            "(« quartier » dit le quartier nommé dans la ligne).",
            err=True,
        )
    engine = _engine(ctx, disk_cache=False, reads=True, wait_for_meaning=True)
    if jsonl:
        for line in jsonl_questions(sys.stdin):
            click.echo(json.dumps(ask_record(engine, line), ensure_ascii=False))
        return
    conversation = Conversation(engine, MemoryRecorder(), channel="console")
    if quartier:
        quartier = _check_quartier(engine.current.kb, quartier, engine.current.matcher.gazetteer)
        conversation.recorder.remember_quartier(CONSOLE_KEY, quartier)
    text, _ = render(conversation.ask(CONSOLE_KEY, question or ""))
    click.echo(text)


# ---------------------------------------------------------------- validate


@cli.command()
@click.argument("directory", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.pass_context
def validate(ctx: click.Context, directory: Path | None) -> None:
    """Vérifier la base de connaissances : chaque problème en « fichier:ligne: message »."""
    directory = directory or ctx.obj["knowledge"]
    if not directory.is_dir():  # a typo in the path: say so, not an empty coverage line
        raise click.ClickException(MISSING_KNOWLEDGE.format(directory=directory))
    result = load_knowledge(directory)  # the rights check's rules included
    # Reminders, never errors: facts checked long ago, quartiers with too few reachable places,
    # phrasings of two entries the matcher reads as the same words.
    result.problems.extend(stale_facts(result.kb, dt.date.today(), FACT_MAX_AGE_DAYS))
    result.problems.extend(thin_quartiers(result.kb))
    result.problems.extend(lookalike_phrasings(result.kb))
    result.problems.sort(key=lambda p: (str(p.path), p.line))
    for problem in result.problems:
        click.echo(str(problem))
    if result.kb.places or result.kb.quartiers:  # an empty folder has no coverage to speak of
        click.echo(coverage_summary(result.kb))
        click.echo(freshness_summary(result.kb, dt.date.today(), FACT_MAX_AGE_DAYS))
    if result.errors:
        click.echo(result.summary(), err=True)
        ctx.exit(1)
    click.echo(f"OK — {result.summary()}")


# ---------------------------------------------------------------- export


def export_document(kb: KnowledgeBase) -> dict[str, Any]:
    """The documented `export --json` shape: keep these keys stable, only ever add."""
    entries = [
        {
            "id": e.id,
            "kind": e.kind,
            "title": e.title,
            "phrasings": list(kb.phrasings_of(e.id)),
            "keywords": list(e.keywords),
            "answer": e.answer,
            "more": e.more,
            "steps": list(e.steps),
            "documents": list(e.documents),
            "services": list(e.services),
            "phone": e.phone,
            "links": [dataclasses.asdict(link) for link in e.links],
            "source": list(e.source),
            "checked": e.checked.isoformat() if e.checked else None,
            "to_verify": sorted(e.to_verify),
        }
        for e in sorted(kb.entries.values(), key=lambda e: e.id)
        if e.kind != OFFTOPIC
    ]
    places = [
        {
            "id": p.id,
            "name": p.name,
            "quartier": p.quartier,
            "address": p.address,
            "phone": p.phone,
            "email": p.email,
            "opening_hours": p.hours,
            "hours_text": p.hours_text,
            "lat": p.lat,
            "lon": p.lon,
            "topics": list(p.topics),
            "to_verify": sorted(p.to_verify),
            "source": list(p.source),
            "checked": p.checked.isoformat() if p.checked else None,
        }
        for p in sorted(kb.places.values(), key=lambda p: p.id)
    ]
    quartiers = [
        {
            "id": q.id,
            "name": q.name,
            "names": list(q.names),
            "sub_areas": [
                {"name": a.name, "variants": list(a.variants), "uncertain": a.uncertain} for a in q.sub_areas
            ],
            "streets": list(q.streets),
            "landmarks": list(q.landmarks),
            "priorities": list(q.priorities),
            "neighbours": list(q.neighbours),
        }
        for q in sorted(kb.quartiers.values(), key=lambda q: q.id)
    ]
    offtopic = [
        {"id": e.id, "title": e.title, "phrasings": list(kb.phrasings_of(e.id)), "answer": e.answer}
        for e in sorted(kb.entries.values(), key=lambda e: e.id)
        if e.kind == OFFTOPIC
    ]
    lines = [
        {
            "id": line.id,
            "name": line.name,
            "phone": line.phone,
            "opening_hours": line.hours,
            "hours_text": line.hours_text,
            "topics": list(line.topics),
            "general": line.general,
            "to_verify": sorted(line.to_verify),
            "source": list(line.source),
            "checked": line.checked.isoformat() if line.checked else None,
        }
        for line in sorted(kb.lines.values(), key=lambda line: line.id)
    ]
    return {"entries": entries, "places": places, "quartiers": quartiers, "offtopic": offtopic, "lines": lines}


@cli.command()
@click.option("--json", "as_json", is_flag=True, required=True, help="Sortie JSON (seul format pour l'instant).")
@click.pass_context
def export(ctx: click.Context, as_json: bool) -> None:
    """Exporter toute la base de connaissances en un document JSON."""
    engine = _engine(ctx, disk_cache=False)
    click.echo(json.dumps(export_document(engine.current.kb), ensure_ascii=False, indent=2))


# ---------------------------------------------------------------- droits (rights check without a chat)


class FrenchError(click.ClickException):
    """A usage error shown as « Erreur : … » (click's own prefix is English), exit code 1."""

    def show(self, file: Any = None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True)


def _read_profile_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrenchError(f"fichier de profil introuvable : {source}") from None
    except UnicodeDecodeError:
        raise FrenchError(f"le fichier de profil {source} n'est pas en UTF-8") from None
    except OSError as exc:
        raise FrenchError(f"impossible de lire le profil {source} ({french_reason(exc)})") from None


EMPTY_PROFILE = (
    "attention : profil vide : aucune réponse, donc aucun droit à proposer "
    """(par exemple : echo '{"age": 30, "situation": "sans-revenu"}' | python -m bot droits --profil -)"""
)


def droits_document(suggestions: list[Suggestion]) -> dict[str, list[dict[str, str]]]:
    """The documented `droits --profil` shape: keep these keys stable, only ever add.

    `certitude` (added 2026-12-02) says whether the right is likely or only possible, the
    split the order already follows, so an outside tool can show the two groups apart.
    """
    return {
        "droits": [
            {"id": s.entry_id, "raison": s.reason, "certitude": "probable" if s.likely else "possible"}
            for s in suggestions
        ]
    }


def _repeated_key(text: str) -> tuple[str, int] | None:
    """The first answer given twice in a profile (« age: 30 » then « age: 40 »), with its line; None if none."""
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return None
    seen: set[str] = set()
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            if key.value in seen:
                return key.value, key.start_mark.line + 1
            seen.add(key.value)
    return None


@cli.command()
@click.option(
    "--profil",
    "profile_source",
    required=True,
    metavar="FICHIER",
    help="Réponses en YAML ou JSON (« - » pour l'entrée standard). Clés : voir le README.",
)
@click.pass_context
def droits(ctx: click.Context, profile_source: str) -> None:
    """Premier point sur les droits à partir de réponses : les droits à vérifier, les plus probables d'abord (JSON)."""
    import yaml

    from bot.orientation.evaluate import evaluate
    from bot.orientation.profile import ProfileError, parse_profile
    from bot.orientation.rules import RULES_FILE

    text = _read_profile_text(profile_source)
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" (ligne {mark.line + 1})" if mark else ""
        raise FrenchError(f"profil illisible{where} : ce n'est ni du YAML ni du JSON valide") from None
    except yaml.YAMLError:
        raise FrenchError("profil illisible : ce n'est ni du YAML ni du JSON valide") from None
    repeated = _repeated_key(text)
    if repeated is not None:  # YAML and JSON keep the last one silently: which answer was meant?
        key, line = repeated
        raise FrenchError(f"profil invalide : clé « {key} » en double (ligne {line}) : gardez une seule réponse")
    try:
        profile, warnings = parse_profile(data)
    except ProfileError as exc:
        raise FrenchError(f"profil invalide : {exc}") from None
    for warning in warnings:
        click.echo(f"attention : {warning}", err=True)
    if not data:  # an empty file or stdin: valid (nothing answered), but most often a forgotten pipe
        click.echo(EMPTY_PROFILE, err=True)
    directory = _knowledge_dir(ctx)
    result = load_knowledge(directory)
    rules_path = directory / RULES_FILE
    for problem in result.problems:
        if problem.path == rules_path:  # the other files' problems are `validate`'s business
            click.echo(str(problem), err=True)
    if result.kb.rules is None:
        raise FrenchError(f"aucune règle d'orientation utilisable dans {rules_path}")
    click.echo(json.dumps(droits_document(evaluate(result.kb.rules, profile)), ensure_ascii=False))


# ---------------------------------------------------------------- telegram


@cli.command()
@click.option("--webhook-url", default=None, help="URL publique HTTPS du webhook (sans elle : polling).")
@click.option("--listen", default=None, help="Adresse d'écoute du webhook (défaut : 0.0.0.0).")
@click.option("--port", default=None, type=int, help="Port d'écoute du webhook (défaut : 8443).")
@click.pass_context
def run(ctx: click.Context, webhook_url: str | None, listen: str | None, port: int | None) -> None:
    """Lancer le bot Telegram (TELEGRAM_TOKEN requis) ; s'arrête proprement sur SIGTERM."""
    from bot.channels import telegram  # imported here: the other commands don't need PTB

    if webhook_url is None and (listen is not None or port is not None):
        raise click.UsageError("--listen et --port ne servent qu'avec --webhook-url")
    settings = dataclasses.replace(ctx.obj["settings"], knowledge_dir=ctx.obj["knowledge"])
    code = telegram.run(settings, webhook_url=webhook_url, listen=listen or "0.0.0.0", port=port or 8443)
    ctx.exit(code)


# ---------------------------------------------------------------- laboratoire: retention, review, stats


def _db_path(ctx: click.Context) -> Path:
    """The database's path, or one French sentence when it exists but is no database (a text file, a folder).

    Checked before the store opens it: SQLite would otherwise fail in the writer
    thread after retries, printing a log line per attempt, on a file it must not touch.
    """
    from bot.storage.db_file import database_problem

    settings: Settings = ctx.obj["settings"]
    problem = database_problem(settings.db_path)
    if problem is not None:
        raise click.ClickException(problem)
    return settings.db_path


def _no_data_yet(ctx: click.Context) -> bool:
    """True (and said in French) when the database does not exist: reading it must not create it.

    A laboratoire command run before the bot ever answered, or with RELAIS_DB
    mistyped, would otherwise leave an empty database (and for call-backs an
    encryption key) wherever it was pointed.
    """
    path = _db_path(ctx)
    if path.exists():
        return False
    click.echo(NO_DATA_YET.format(path=path))
    return True


def _store_options(ctx: click.Context) -> dict[str, Any]:
    """What the laboratoire's store needs from the settings and from knowledge/quartiers/."""
    settings = ctx.obj["settings"]
    quartiers = load_knowledge(_knowledge_dir(ctx)).kb.quartier_names()
    return {"timezone": settings.timezone, "quartiers": quartiers}


@cli.command()
@click.option(
    "--older-than",
    "older_than",
    default=RETENTION_DAYS,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="JOURS",
    help="Effacer ce qui a plus de JOURS jours.",
)
@click.option(
    "--personnelles",
    "personal",
    is_flag=True,
    help="Effacer aussi tous les rappels et toutes les demandes de rappel (numéros de téléphone compris).",
)
@click.option("--oui", "confirmed", is_flag=True, help="Confirmer sans question (avec --older-than 0 : tout effacer).")
@click.pass_context
def purge(ctx: click.Context, older_than: int, personal: bool, confirmed: bool) -> None:
    """Effacer les questions, avis, compteurs et quartiers plus anciens que JOURS jours.

    Les rappels terminés et les demandes de rappel de plus de 14 jours sont effacés aussi.
    """
    from bot.storage import StoreUnavailable, open_store
    from bot.storage.consented import purge_consented

    if _no_data_yet(ctx):  # nothing to erase
        return
    if older_than == 0 and not confirmed:
        _confirm_erasing_everything()
    with open_store(_db_path(ctx), **_store_options(ctx)) as store:
        try:
            deleted = store.purge(older_than)
            erased = purge_consented(store, store.today(), everything=personal)
        except StoreUnavailable as exc:
            raise click.ClickException(f"purge impossible : {exc}") from None
    click.echo(f"{deleted} ligne(s) de plus de {older_than} jours supprimée(s).")
    what = "tous les rappels et demandes de rappel" if personal else "rappels terminés et demandes expirées"
    click.echo(f"{erased} ligne(s) de données personnelles effacée(s) ({what}).")


ERASE_ALL_REFUSED = (
    "« --older-than 0 » efface TOUTES les questions, tous les avis et tous les compteurs d'avant aujourd'hui, "
    "sans retour : "
    "rien n'a été effacé. Pour confirmer, relancez avec --oui."
)


def _confirm_erasing_everything() -> None:
    """`purge --older-than 0` erases the whole laboratoire's history: asked first, or refused without --oui.

    A 0 typed for a default, or a script's variable left empty, must not wipe
    months of needs. At a terminal the command asks (« non » by default);
    with no one to answer (a script, a cron job) it refuses, erasing nothing,
    and says how to confirm.
    """
    if not _interactive():
        raise click.ClickException(ERASE_ALL_REFUSED)
    answer = click.prompt(
        "Tout effacer jusqu'à hier (questions, avis, compteurs, de tous les quartiers) ? C'est définitif. "
        "Écrivez oui ou non",
        default="non",
        show_default=False,
    )
    if fold(answer).strip() not in ("oui", "o"):
        raise click.ClickException("Rien n'a été effacé.")


def _interactive() -> bool:
    """Whether someone at a terminal can answer a question (tests replace it)."""
    return sys.stdin.isatty()


@cli.command("rappels-demandes")
@click.option("--quartier", "-q", default=None, help="Un seul quartier (ex. bellevue).")
@click.pass_context
def callback_requests(ctx: click.Context, quartier: str | None) -> None:
    """Les demandes de rappel en cours (pour l'équipe de médiation), les plus anciennes d'abord."""
    from bot.reminders.callback import open_requests_text
    from bot.storage import StoreUnavailable, open_store
    from bot.storage.consented import ConsentedData
    from bot.storage.crypto import KeyProblem

    # Only names and titles are needed: the knowledge base is read, no model is trained or cached.
    kb = load_knowledge(_knowledge_dir(ctx)).kb
    if quartier is not None:  # a typo in the quartier is said even before any data exists
        quartier = _check_quartier(kb, quartier)
    if _no_data_yet(ctx):  # no request can exist, and no key must be created
        return
    settings = ctx.obj["settings"]
    with open_store(_db_path(ctx)) as store:
        try:
            book = ConsentedData.open(store, settings.data_dir)
            requests = book.open_callbacks(quartier)
        except (KeyProblem, StoreUnavailable) as exc:
            raise click.ClickException(str(exc)) from None

    def quartier_name(q: str | None) -> str:
        return kb.quartiers[q].name if q in kb.quartiers else (q or "quartier non précisé")

    def topic_title(topic: str | None) -> str | None:
        return kb.entries[topic].title if topic in kb.entries else None

    click.echo(open_requests_text(requests, quartier_name, topic_title))


def _check_review_input(ctx: click.Context, since: str, quartier: str | None, outputs: list[Path]) -> None:
    """Refuse a wrong period, quartier or output folder before anything is read, written or printed.

    Otherwise the whole report is printed and only then « impossible d'écrire »
    comes, or a missing database answers a typo in --since.
    """
    from bot import laboratoire as lab

    # A wrong value typed is a usage error (exit 2), as in `stats`: the README's rule for exit codes.
    try:
        lab.parse_since(since)
    except lab.ReviewError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    try:
        if quartier is not None:
            lab.check_quartier(quartier, _store_options(ctx)["quartiers"])
    except lab.ReviewError as exc:
        raise click.BadParameter(str(exc), param_hint="--quartier") from None
    if len(outputs) == 2 and outputs[0].resolve() == outputs[1].resolve():
        raise click.UsageError(
            f"--csv et --html donnent le même fichier ({outputs[0]}) : l'un effacerait l'autre ; "
            "choisissez deux noms, par exemple rapport.csv et rapport.html"
        )
    for output in outputs:
        if not output.name or output.is_dir():  # « --csv "" » is the current folder
            raise click.ClickException(
                f"impossible d'écrire « {output} » : donnez un nom de fichier, par exemple rapport.csv"
            )
        folder = output.parent if str(output.parent) else Path(".")
        if not folder.is_dir():
            raise click.ClickException(
                f"impossible d'écrire {output} : le dossier « {folder} » n'existe pas (créez-le, ou choisissez "
                "un autre chemin)"
            )


@cli.command()
@click.option("--since", default="30d", show_default=True, help="Période : 7d, 30d ou all.")
@click.option("--quartier", "-q", default=None, help="Un seul quartier (ex. bellevue).")
@click.option("--csv", "csv_path", type=click.Path(path_type=Path, dir_okay=False), help="Écrire le rapport en CSV.")
@click.option(
    "--html",
    "html_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Écrire le rapport HTML autonome (à envoyer par e-mail).",
)
@click.option("--teach", metavar="BESOIN", default=None, help="Apprendre les formulations de ce besoin…")
@click.option("--to", "entry_id", metavar="FICHE", default=None, help="…à cette fiche (identifiant, ex. rsa).")
@click.option("--dismiss", metavar="BESOIN", default=None, help="Écarter ce besoin (hors sujet, spam).")
@click.option("--add", "added", metavar="QUESTION", default=None, help="Noter une question entendue en face à face.")
@click.pass_context
def review(
    ctx: click.Context,
    since: str,
    quartier: str | None,
    csv_path: Path | None,
    html_path: Path | None,
    teach: str | None,
    entry_id: str | None,
    dismiss: str | None,
    added: str | None,
) -> None:
    """Besoins sans réponse pour le laboratoire : rapport, apprentissage, questions de terrain."""
    from bot import laboratoire as lab
    from bot.storage import StoreUnavailable, open_store

    actions = [x for x in (teach, dismiss, added) if x is not None]
    if len(actions) > 1:
        raise click.UsageError("une seule action à la fois : --teach, --dismiss ou --add")
    if (teach is None) != (entry_id is None):
        raise click.UsageError("--teach BESOIN et --to FICHE vont ensemble")
    outputs = [p for p in (csv_path, html_path) if p is not None]
    if actions and outputs:  # else the file is silently not written
        raise click.UsageError("--csv et --html écrivent le rapport : ils ne vont pas avec --teach, --dismiss ou --add")
    quartier = _quartier_option(ctx, quartier)
    _check_review_input(ctx, since, quartier, outputs)
    if added is None and not _db_path(ctx).exists():  # only a question heard face to face starts a base
        if teach is not None or dismiss is not None:
            raise click.ClickException(NO_DATA_YET.format(path=_db_path(ctx)))
        _no_data_yet(ctx)
        return
    try:
        with open_store(_db_path(ctx), **_store_options(ctx)) as store:
            if added is not None:
                text = lab.add_question(store, added, quartier)
                click.echo(f"Question notée (canal médiation) : « {text} »")
            elif teach is not None and entry_id is not None:  # both or neither: checked above
                result = lab.teach(store, teach, entry_id, ctx.obj["knowledge"], since=since, quartier=quartier)
                click.echo(
                    f"Besoin {result.need.id} appris pour « {result.entry_id} » : "
                    f"{len(result.added)} formulation(s) ajoutée(s) dans {result.path}."
                )
                for phrasing in result.added:
                    click.echo(f"  + {phrasing}")
            elif dismiss is not None:
                need = lab.dismiss(
                    store, dismiss, since=since, quartier=quartier, concepts=lab.concept_index(ctx.obj["knowledge"])
                )
                click.echo(f"Besoin {need.id} écarté ({need.count} question(s)) : il sort du rapport.")
            else:
                report = lab.build_report(
                    store, since=since, quartier=quartier, concepts=lab.concept_index(ctx.obj["knowledge"])
                )
                click.echo(lab.format_table(report))
                if csv_path:
                    lab.write_csv(report, csv_path)
                    click.echo(f"CSV écrit : {csv_path}")
                if html_path:
                    lab.write_html(report, html_path)
                    click.echo(f"Rapport HTML écrit : {html_path}")
    except lab.ReviewError as exc:
        raise click.ClickException(str(exc)) from None
    except StoreUnavailable as exc:  # e.g. marking a need reviewed in a locked or read-only database
        raise click.ClickException(f"base de données inaccessible ({exc})") from None
    except OSError as exc:  # --csv/--html in a missing folder, knowledge/ mounted read-only for --teach…
        where = exc.filename or "le rapport"  # no file name: the terminal or a pipe (« | head »)
        raise click.ClickException(f"impossible d'écrire {where} ({french_reason(exc)})") from None


@cli.command()
@click.option("--since", default="30d", show_default=True, help="Période : 7d, 30d ou all.")
@click.option("--quartier", "-q", default=None, help="Un seul quartier (ex. bellevue).")
@click.pass_context
def stats(ctx: click.Context, since: str, quartier: str | None) -> None:
    """Sujets répondus par quartier et par semaine (des comptes, aucun texte)."""
    from bot import laboratoire as lab
    from bot.storage import StoreUnavailable, open_store

    try:
        days = lab.parse_since(since)
    except lab.ReviewError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None
    options = _store_options(ctx)
    quartier = _quartier_option(ctx, quartier)
    if _no_data_yet(ctx):
        return
    with open_store(_db_path(ctx), **options) as store:
        try:
            rows = store.answered_topics(days, quartier=quartier)
        except StoreUnavailable as exc:
            raise click.ClickException(f"statistiques indisponibles : {exc}") from None
        click.echo(lab.format_topics(rows, store.quartiers))
        click.echo("")
        click.echo(store.stats_text(days, quartier=quartier))


def main() -> None:
    """Run the command line; its mistakes are explained in French (click's own are English)."""
    try:
        code = cli.main(prog_name="relais-droits", standalone_mode=False)
    except click.ClickException as error:
        show_in_french(error)
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
