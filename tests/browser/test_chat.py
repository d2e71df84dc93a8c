"""Two members in two browser contexts chat live in a room; a dropped socket reconnects and
catches up without showing anything twice; axe audits of /chat/ and of a room.

Websockets need an ASGI server: this module serves the application with uvicorn in a thread
of the test process (the in-memory channel layer is per process), instead of live_server.
"""

from __future__ import annotations

import threading
import time

import pytest

from community.accounts.models import Role
from tests.chat.conftest import post
from tests.factories import make_cafe, make_member
from tests.ports import free_port

from .axe import assert_accessible
from .chromium import TIMEOUT_MS
from .helpers import BROWSER_TEST, log_in

pytestmark = BROWSER_TEST


@pytest.fixture
def asgi_url(home_site):
    """The real ASGI application (pages and websockets) on a free port."""
    import uvicorn

    from community.asgi import application

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def open_page(browser, asgi_url):
    contexts = []

    def open_one():
        context = browser.new_context(base_url=asgi_url, locale="fr-FR")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def rooms(transactional_db):
    from forum.chat.rooms import ensure_rooms

    return ensure_rooms()


def enter_room(page, email: str, slug: str = "reseau"):
    log_in(page, email, next_url=f"/chat/{slug}/")
    page.goto(f"/chat/{slug}/")
    page.locator("#chat-status", has_text="Connecté").wait_for()
    return page


def say(page, body: str) -> None:
    page.fill("#chat-form textarea", body)
    page.get_by_role("button", name="Envoyer").click()


def shown(page, body: str):
    return page.locator("#chat-messages .chat-body", has_text=body)


def test_two_members_see_each_other_live(open_page, rooms):
    elected = make_member(Role.ELECTED, display_name="Marie Maire")
    manager = make_member(Role.MANAGER, cafe=make_cafe(), display_name="Gaston Gérant")
    marie = enter_room(open_page(), elected.email)
    gaston = enter_room(open_page(), manager.email)

    marie.locator("#chat-presence", has_text="Gaston Gérant").wait_for()
    say(marie, "Bonjour <b>Gaston</b>, tu as un bon fournisseur de limonade ?")
    shown(gaston, "Bonjour <b>Gaston</b>").wait_for()
    # Typed markup stays text: no <b> element appears.
    assert gaston.locator("#chat-messages b").count() == 0
    assert marie.locator("#chat-form textarea").input_value() == ""
    say(gaston, "Oui : la brasserie du village d'à côté.")
    shown(marie, "la brasserie du village").wait_for()

    # A flaky connection: Marie's socket drops, Gaston writes meanwhile.
    marie.evaluate("window.milleCafesChat.drop()")
    marie.locator("#chat-status", has_text="Connexion perdue").wait_for()
    say(gaston, "Tu es toujours là ?")
    shown(marie, "Tu es toujours là ?").wait_for()
    marie.locator("#chat-status", has_text="Reconnecté").wait_for()
    for page in (marie, gaston):
        ids = page.eval_on_selector_all(
            "#chat-messages li[data-id]", "els => els.map(e => e.dataset.id)"
        )
        assert len(ids) == len(set(ids)) == 3, ids
        assert ids == sorted(ids, key=int)

    # An error comes back in French and the text is kept for correction (the textarea's
    # maxlength stops typing at 2,000 characters; a script can still send more).
    marie.eval_on_selector("#chat-form textarea", "el => { el.value = 'x'.repeat(2001); }")
    marie.get_by_role("button", name="Envoyer").click()
    marie.get_by_role("alert").filter(has_text="Le message est trop long").wait_for()
    assert len(marie.locator("#chat-form textarea").input_value()) == 2001


def test_edit_in_place_and_catch_up_edits_and_deletions_after_a_drop(open_page, rooms):
    from forum.chat.models import Message, MessageChange

    elected = make_member(Role.ELECTED, display_name="Marie Maire")
    manager = make_member(Role.MANAGER, cafe=make_cafe(), display_name="Gaston Gérant")
    marie = enter_room(open_page(), elected.email)
    gaston = enter_room(open_page(), manager.email)
    say(marie, "Rendez-vous jeudi à 18 h")
    say(gaston, "Je réserve la salle")
    say(gaston, "Et j'apporte la limonade")
    shown(marie, "la limonade").wait_for()

    # Editing in place: a labelled field, Escape cancels, Enregistrer saves for everyone.
    mine = marie.locator("#chat-messages li", has_text="Rendez-vous jeudi")
    mine.get_by_role("link", name="Modifier ce message").click()
    field = marie.get_by_label("Modifier votre message")
    assert field.input_value() == "Rendez-vous jeudi à 18 h"
    field.press("Escape")
    assert marie.get_by_label("Modifier votre message").count() == 0
    assert shown(marie, "Rendez-vous jeudi à 18 h").is_visible()
    mine.get_by_role("link", name="Modifier ce message").click()
    marie.get_by_label("Modifier votre message").fill("Rendez-vous jeudi à <i>19 h</i>")
    marie.get_by_role("button", name="Enregistrer").click()
    for page in (marie, gaston):
        shown(page, "Rendez-vous jeudi à <i>19 h</i>").wait_for()
        assert page.locator("#chat-messages i").count() == 0
    assert mine.locator(".chat-edited").is_visible()

    # Changed while nobody heard (as when Redis was down at commit): Marie's socket drops
    # and the reconnection's sync brings the edit and the deletion.
    room = rooms["reseau"]
    booked = Message.objects.get(body="Je réserve la salle")
    lemonade = Message.objects.get(body="Et j'apporte la limonade")
    Message.objects.filter(pk=booked.pk).update(body="Je réserve la grande salle")
    Message.objects.filter(pk=lemonade.pk).delete()
    for message in (booked, lemonade):
        MessageChange.objects.create(room=room, message_id=message.pk)
    marie.evaluate("window.milleCafesChat.drop()")
    shown(marie, "Je réserve la grande salle").wait_for()
    marie.locator("#chat-messages .chat-body", has_text="la limonade").wait_for(state="detached")
    assert marie.locator("#chat-messages li[data-id]").count() == 2


def test_a_page_older_than_the_change_log_is_replaced_by_the_latest_messages(open_page, rooms):
    from datetime import timedelta

    from django.utils import timezone

    from forum.chat.models import Message, MessageChange
    from forum.chat.services import prune_changes

    elected = make_member(Role.ELECTED, display_name="Marie Maire")
    room = rooms["reseau"]
    post(elected, room, body="Premier message")
    [stale] = post(elected, room, body="Message supprimé depuis longtemps")
    post(elected, room, body="Dernier message")
    marie = enter_room(open_page(), elected.email)
    shown(marie, "supprimé depuis longtemps").wait_for()

    # Deleted while the page slept for weeks, and the log of that deletion pruned since.
    Message.objects.filter(pk=stale.pk).delete()
    MessageChange.objects.create(room=room, message_id=stale.pk)
    MessageChange.objects.update(created=timezone.now() - timedelta(days=31))
    assert prune_changes() == 1
    marie.evaluate("window.milleCafesChat.drop()")
    marie.locator("#chat-messages .chat-body", has_text="supprimé").wait_for(state="detached")
    assert marie.eval_on_selector_all(
        "#chat-messages .chat-body", "els => els.map(e => e.textContent)"
    ) == ["Premier message", "Dernier message"]


def test_without_javascript_the_room_is_a_plain_form(browser, asgi_url, rooms):
    elected = make_member(Role.ELECTED, display_name="Marie Maire")
    context = browser.new_context(base_url=asgi_url, locale="fr-FR", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        log_in(page, elected.email, next_url="/chat/reseau/")
        page.goto("/chat/reseau/")
        page.fill("#chat-form textarea", "Envoyé sans JavaScript")
        with page.expect_navigation():
            page.get_by_role("button", name="Envoyer").click()
        assert "/chat/reseau/#message-" in page.url
        assert shown(page, "Envoyé sans JavaScript").count() == 1
    finally:
        context.close()


def test_chat_pages_are_accessible(open_page, rooms):
    elected = make_member(Role.ELECTED, display_name="Marie Maire")
    manager = make_member(Role.MANAGER, cafe=make_cafe(), display_name="Gaston Gérant")
    # Stored directly: Playwright's loop runs in this thread, so no broadcast from here.
    post(manager, rooms["reseau"], body="Qui vient à la réunion de jeudi ?")
    post(elected, rooms["reseau"], body="Moi, avec l'adjointe.")
    page = open_page()
    log_in(page, elected.email, next_url="/chat/")
    page.goto("/chat/")
    assert_accessible(page, "/chat/")
    page.goto("/chat/reseau/")
    page.locator("#chat-status", has_text="Connecté").wait_for()
    assert_accessible(page, "/chat/reseau/")
    page.get_by_role("link", name="Modifier ce message").click()
    page.get_by_label("Modifier votre message").wait_for()
    assert_accessible(page, "/chat/reseau/ (modification en place)")
