"""Unmet questions grouped into needs by meaning, each with an id that does not move.

A *need* is a group of similar unanswered questions (greedy fuzzy clustering
with rapidfuzz on the normalised text, French filler words removed). Each need
gets a short identifier that is a hash of its representative text — its most
frequent phrasing — so it stays the same from one report to the next while
new questions arrive, unlike a rank ("N1") that shifts every day. Mediators
use it with `--teach` and `--dismiss`.

k-anonymity: a quartier in which a need was seen fewer than `K_ANONYMITY`
times is not shown for that need, so that no resident can be singled out by a
rare question in a small neighbourhood.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.config import K_ANONYMITY
from bot.knowledge.model import QuartierNames
from bot.storage.redact import contains_tag
from bot.storage.store import UnmetQuestion
from bot.understanding.normalize import fold

SIMILARITY = 75  # mean of token_set and token_sort ratios, on content words
EXAMPLES = 3
NEED_ID_LENGTH = 7

# Words that say nothing about the need; without them "bonjour je cherche un
# avocat" and "bonjour je cherche une crèche" no longer look alike.
_FILLER = frozenset(
    """a ai as au aux avec avez avoir besoin bjr bonjour bonsoir c ca ce cela ces cest cherche chercher
    comment d dans de des du elle en est et etre faire faut hello il ils j je l la le les leur lui m ma
    mais me merci mes moi mon n ne nous on ou par pas peut peux plus pour pourquoi quand que quel quelle
    quels qui quoi s sa salut sais savoir se ses si slt son sont stp sur svp t ta te tes toi ton tu un
    une veux voudrais voudrait aimerais vous y ya aide aides""".split()
)
_TAG_WORD = re.compile(r"^\[.*\]$")


@dataclass
class Need:
    """One unmet need: similar questions grouped, ready to show or act on."""

    id: str
    representative: str
    count: int
    quartiers: list[tuple[str, int]]  # only quartiers seen >= K_ANONYMITY times
    first_seen: str
    last_seen: str
    examples: list[str]
    guess: str | None
    guess_score: int
    question_ids: list[int] = field(default_factory=list, repr=False)
    per_quartier: Counter = field(default_factory=Counter, repr=False)  # raw, never displayed
    weeks: Counter = field(default_factory=Counter, repr=False)
    names: QuartierNames = field(default_factory=QuartierNames, repr=False)

    @property
    def quartier_label(self) -> str:
        if not self.quartiers:
            return "—"
        return self.quartier_list

    @property
    def quartier_list(self) -> str:
        """ "Bellevue (4), Europe (3)": the visible quartiers with their counts ("" if none)."""
        return ", ".join(f"{self.names.name(q)} ({n})" for q, n in self.quartiers)


# --------------------------------------------------------------------------- clustering


def cluster_key(normalized: str) -> str:
    """The words that carry the need: normalised text without fillers and redaction tags."""
    words = [w for w in fold(normalized).split() if not _TAG_WORD.match(w)]
    content = [w for w in words if w not in _FILLER]
    return " ".join(content or words)


def need_id(representative: str) -> str:
    """A short identifier that does not move when other needs grow or shrink."""
    return hashlib.sha256(representative.encode("utf-8")).hexdigest()[:NEED_ID_LENGTH]


def _similarity(query: str, choices: Sequence[str]) -> list[float]:
    """Mean of token_set_ratio (word overlap) and token_sort_ratio (whole phrasing)."""
    set_scores = process.cdist([query], choices, scorer=fuzz.token_set_ratio)[0]
    sort_scores = process.cdist([query], choices, scorer=fuzz.token_sort_ratio)[0]
    return [(a + b) / 2 for a, b in zip(set_scores, sort_scores)]


def cluster(
    questions: Sequence[UnmetQuestion], threshold: float = SIMILARITY, quartiers: QuartierNames | None = None
) -> list[Need]:
    """Group similar questions into needs, largest first.

    Greedy: distinct cluster keys are taken from the most frequent (then the
    oldest); each still-unassigned key becomes a seed and takes every
    unassigned key at least `threshold` similar to it. Comparing only seeds
    with the rest keeps memory linear instead of an N×N matrix.
    """
    by_key: dict[str, list[UnmetQuestion]] = {}
    for question in questions:
        key = cluster_key(question.normalized) or cluster_key(question.question)
        by_key.setdefault(key, []).append(question)
    keys = sorted(by_key, key=lambda k: (-len(by_key[k]), min(q.id for q in by_key[k])))
    unassigned = list(keys)
    needs: list[Need] = []
    while unassigned:
        seed = unassigned[0]
        scores = _similarity(seed, unassigned) if seed else [100.0 if not k else 0.0 for k in unassigned]
        members = [k for k, score in zip(unassigned, scores) if k == seed or score >= threshold]
        member_set = set(members)
        unassigned = [k for k in unassigned if k not in member_set]
        rows = [q for k in members for q in by_key[k]]
        needs.append(_need(seed, rows, quartiers or QuartierNames()))
    needs.sort(key=lambda n: (-n.count, n.first_seen, n.id))
    return needs


def _need(representative: str, rows: list[UnmetQuestion], names: QuartierNames) -> Need:
    rows = sorted(rows, key=lambda q: q.id)
    per_quartier = Counter(q.quartier for q in rows if q.quartier)
    phrasings = Counter(q.question for q in rows)
    last_index = {q.question: i for i, q in enumerate(rows)}
    # Most frequent first; untouched phrasings before redacted ones, which read worse.
    examples = sorted(phrasings, key=lambda p: (-phrasings[p], contains_tag(p), -last_index[p]))[:EXAMPLES]
    guesses = Counter(q.guess for q in rows if q.guess)
    guess = guesses.most_common(1)[0][0] if guesses else None
    guess_score = max((q.score for q in rows if q.guess == guess), default=0) if guess else 0
    return Need(
        id=need_id(representative),
        representative=representative,
        count=len(rows),
        quartiers=_visible_quartiers(per_quartier, names),
        first_seen=min(q.day for q in rows),
        last_seen=max(q.day for q in rows),
        examples=examples,
        guess=guess,
        guess_score=guess_score,
        question_ids=[q.id for q in rows],
        per_quartier=per_quartier,
        weeks=Counter(q.week for q in rows),
        names=names,
    )


def _visible_quartiers(counts: Counter, names: QuartierNames) -> list[tuple[str, int]]:
    """Quartiers seen at least K_ANONYMITY times, most frequent first."""
    visible = [(q, n) for q, n in counts.items() if n >= K_ANONYMITY]
    return sorted(visible, key=lambda item: (-item[1], names.rank(item[0]), item[0]))
