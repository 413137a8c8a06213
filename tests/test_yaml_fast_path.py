"""libyaml reads the knowledge base fast; what it returns must be what the pure-Python loader returns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.knowledge import yamlio
from tests.conftest import SHIPPED_KB

pytestmark = pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML built without libyaml")


def _lines(value: Any) -> Any:
    """The value with every line number it carries, so two readings compare in full."""
    if isinstance(value, yamlio.LineDict):
        return ("map", value.line, dict(value.key_lines), {k: _lines(v) for k, v in value.items()})
    if isinstance(value, yamlio.LineList):
        return ("seq", value.line, list(value.item_lines), dict(value.glued_lines), [_lines(v) for v in value])
    return value


@pytest.mark.parametrize("path", sorted(SHIPPED_KB.rglob("*.yaml")), ids=lambda p: str(p.relative_to(SHIPPED_KB)))
def test_both_parsers_give_the_same_values_and_lines_on_every_shipped_file(path: Path):
    text = path.read_text(encoding="utf-8")
    fast = yamlio._parse(text, yamlio._FastLineLoader)
    exact = yamlio._parse(text, yamlio._LineLoader)
    assert _lines(fast) == _lines(exact)


def test_a_dash_glued_to_the_item_above_is_found_by_the_fast_parser_too():
    text = "id: x\nformulations:\n  - aide au permis\n    - le permis coûte cher\n  - une autre\n"
    fast = yamlio._parse(text, yamlio._FastLineLoader)
    assert fast["formulations"].glued_line(0) == 4
    assert _lines(fast) == _lines(yamlio._parse(text, yamlio._LineLoader))


@pytest.mark.parametrize(
    "text",
    [
        "id: x\ntitre: [ouvert\n",  # a bracket left open
        "id: x\nid: y\n",  # a key twice
        "id: x\n\ttitre: y\n",  # a tab
    ],
)
def test_a_file_libyaml_refuses_gets_the_error_the_validator_always_gave(tmp_path: Path, text: str, monkeypatch):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(yamlio.YamlFileError) as fast:
        yamlio.read_yaml(path)
    monkeypatch.setattr(yamlio, "_FastBase", yaml.SafeLoader)  # the pure-Python loader alone, as before
    with pytest.raises(yamlio.YamlFileError) as exact:
        yamlio.read_yaml(path)
    assert (fast.value.line, fast.value.message) == (exact.value.line, exact.value.message)
