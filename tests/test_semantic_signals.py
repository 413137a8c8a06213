"""The semantic-resource bench reads spaCy's vector files without spaCy and refuses held-out sets."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import semantic_signals  # noqa: E402


@pytest.mark.parametrize(
    ("text", "key"),
    [("coffee", 3197928453018144401)],  # spaCy's documented hash of « coffee »
)
def test_words_are_keyed_as_spacy_keys_them(text, key):
    assert semantic_signals.murmurhash64a(text.encode("utf-8")) == key


def test_a_word_of_nine_bytes_or_more_hashes_through_its_tail():
    # Eight-byte blocks then a tail: two words alike in their first block must not collide.
    assert semantic_signals.murmurhash64a("théâtres".encode()) != semantic_signals.murmurhash64a("théâtre!".encode())


def test_the_key2row_map_is_read_whatever_the_size_of_its_integers():
    pairs = {5: 3, 200: 130, 70_000: 65_000, 2**40: 2**33}
    body = b""
    for key, row in pairs.items():
        for value in (key, row):
            if value < 0x80:
                body += bytes([value])
            elif value < 2**16:
                body += b"\xcd" + struct.pack(">H", value)
            elif value < 2**32:
                body += b"\xce" + struct.pack(">I", value)
            else:
                body += b"\xcf" + struct.pack(">Q", value)
    assert semantic_signals._msgpack_uint_map(b"\xdf" + struct.pack(">I", len(pairs)) + body) == pairs


@pytest.mark.parametrize(
    ("positive", "negative", "auc"),
    [([0.9, 0.8], [0.1, 0.2], 1.0), ([0.1], [0.9], 0.0), ([0.5], [0.5], 0.5)],
)
def test_the_veto_auc_is_the_chance_a_one_need_pair_scores_above_another(positive, negative, auc):
    assert semantic_signals._auc(np.array(positive), np.array(negative)) == pytest.approx(auc)


def test_it_refuses_a_held_out_set_before_reading_it(tmp_path):
    held_out = tmp_path / "unmet-needs-heldout-9.yaml"  # not even written: refused by its name
    result = subprocess.run(
        [sys.executable, str(BENCH / "semantic_signals.py"), str(held_out)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 2 and "never on a held-out set (unmet-needs-heldout-9.yaml)" in result.stderr
    assert "precision" not in result.stdout
