"""The Telegram handlers' shared services: read through one checked accessor, never bot_data directly."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.channels.telegram.context import RELAIS, relais_in, relais_of


@pytest.mark.parametrize("bot_data", [{}, {RELAIS: None}, {RELAIS: object()}], ids=["missing", "none", "foreign"])
def test_an_application_without_our_services_is_a_clear_error(bot_data: dict[str, object]) -> None:
    holder = SimpleNamespace(bot_data=bot_data)
    for read in (relais_of, relais_in):
        with pytest.raises(LookupError, match="build_application"):
            read(holder)
