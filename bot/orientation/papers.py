"""What to bring to the person who checks the list: the papers most listed rights ask for.

The rights check ends with a person to reach; a resident who comes without the
papers has to come back, and every extra trip loses people (non-recours). Each
right's entry already lists its papers (`documents`), so the check shows the ones
that several listed rights share, most shared first, and leaves the rest to each
entry's own list: a short list someone can actually gather before going.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# A phone screen: more than this and nobody reads the list, let alone gathers it.
MAX_PAPERS = 5
_ASIDE = re.compile(r"\([^)]*\)")
# Words that change the wording, not the paper: "votre dernier avis d'imposition" is "avis d'impôt".
_FILLERS = {"vos", "votre", "dernier", "derniers", "dernière"}
_SAME_WORD = {"imposition": "impôt"}


def _paper_key(text: str) -> str:
    """The paper named, without its aside ("RIB (si la CSS est payante)" is a RIB) nor filler words."""
    words = _ASIDE.sub(" ", text).lower().replace("’", "'").split()
    return " ".join(_SAME_WORD.get(word, word) for word in words if word not in _FILLERS)


# "justificatifs de ressources des 3 mois" and "… des 12 mois": the same paper, over another period.
_SAME_START_WORDS = 3


def _same_paper(key: str, other: str) -> bool:
    """ "pièce d'identité" and "pièce d'identité ou titre de séjour" ask for the same thing."""
    if key.startswith(other) or other.startswith(key):
        return True
    start, other_start = key.split()[:_SAME_START_WORDS], other.split()[:_SAME_START_WORDS]
    return len(start) == _SAME_START_WORDS and start == other_start


class _Paper:
    """One paper asked by several rights, under the wording most of their entries use."""

    def __init__(self, key: str) -> None:
        self.key = key
        self.rights: set[int] = set()
        self.wordings: dict[str, int] = {}

    def add(self, right: int, text: str) -> None:
        self.rights.add(right)
        self.wordings[text] = self.wordings.get(text, 0) + 1

    def wording(self) -> str:
        return max(self.wordings, key=lambda text: self.wordings[text])  # ties: the first seen


def papers_to_bring(documents_by_right: Sequence[Sequence[str]], limit: int = MAX_PAPERS) -> list[str]:
    """The papers asked by at least two of the listed rights (most rights first), or the first right's.

    `documents_by_right` follows the order of the list, most likely right first, so
    ties keep the papers of the likeliest rights first.
    """
    papers: list[_Paper] = []
    for index, documents in enumerate(documents_by_right):
        for text in documents:
            key = _paper_key(text)
            if not key:
                continue
            paper = next((known for known in papers if _same_paper(key, known.key)), None)
            if paper is None:
                paper = _Paper(key)
                papers.append(paper)
            paper.add(index, text.strip())
    shared = [paper for paper in papers if len(paper.rights) >= 2]
    if shared:
        shared.sort(key=lambda paper: -len(paper.rights))  # stable: equals keep the list's order
        return [paper.wording() for paper in shared[:limit]]
    first = next((list(documents) for documents in documents_by_right if documents), [])
    return [text.strip() for text in first[:limit]]
