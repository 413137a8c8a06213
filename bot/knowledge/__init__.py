"""The knowledge base: the mediators' YAML files, read, checked and kept current.

`model` holds the shapes, `yamlio` reads YAML with line numbers, `parsing`
turns one file into one object, `checks` looks across files, `loader` reads
the whole folder, and `engine` keeps the current base and its matcher.
"""

from bot.knowledge.engine import Engine, ReloadResult, Snapshot
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import (
    ANSWER_MAX_WORDS,
    CITY_WIDE,
    DANGER_KINDS,
    KIND_FOLDERS,
    KIND_LABELS,
    OFFTOPIC,
    Contact,
    DangerDataError,
    DangerKind,
    Dangers,
    Entry,
    KnowledgeBase,
    KnowledgeError,
    Line,
    Link,
    LoadResult,
    Place,
    Problem,
    Quartier,
    QuartierNames,
    SubArea,
    distance_km,
)

__all__ = [
    "Contact",
    "ANSWER_MAX_WORDS",
    "CITY_WIDE",
    "DANGER_KINDS",
    "KIND_FOLDERS",
    "KIND_LABELS",
    "OFFTOPIC",
    "DangerDataError",
    "DangerKind",
    "Dangers",
    "Engine",
    "Entry",
    "KnowledgeBase",
    "KnowledgeError",
    "Line",
    "Link",
    "LoadResult",
    "Place",
    "Problem",
    "Quartier",
    "QuartierNames",
    "ReloadResult",
    "Snapshot",
    "SubArea",
    "distance_km",
    "load_knowledge",
]
