"""Whatever a resident sends, the bot replies and never raises."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.understanding.normalize import fold

ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(blacklist_categories=()), min_size=0, max_size=50),
    st.just(""),
    st.just("a" * 10_000),
    st.just("😀🙏🏽" * 300),
    st.just("\x00\x01\x1b[2J\r\n\t"),
    st.just("مرحبا أحتاج مساعدة في السكن"),  # right-to-left script
    st.just("\u202eRSA\u202c"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàù '?!0123456789", max_size=200),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT)
def test_any_text_gets_a_reply(conversation, text):
    reply = conversation.ask("prop", text)
    assert isinstance(reply.text, str) and reply.text.strip()
    assert 0 <= reply.score <= 100
    for row in reply.buttons:
        for button in row:
            assert len(button.action.encode()) < 64


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_fold_is_idempotent_and_ascii(text):
    once = fold(text)
    assert fold(once) == once
    assert once.isascii()
