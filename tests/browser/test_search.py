"""/recherche/ in a real browser: axe audits with results and without, search-as-you-type
suggestions driven by the keyboard, and the plain form with JavaScript disabled.

The database fallback serves these pages (MEILISEARCH_URL unset): the browser side is the
same whichever engine answers, and tests/search covers Meilisearch itself.
"""

from __future__ import annotations

import pytest

from community.accounts.models import Role
from community.accounts.roles import ensure_role_groups
from events.models import AnimationKind
from forum.services import topic_url
from forum.tree import area, ensure_forum_tree
from search import query
from tests.factories import make_member
from tests.forum.conftest import make_topic

from .axe import assert_accessible
from .chromium import TIMEOUT_MS
from .helpers import BROWSER_TEST, path_of

pytestmark = BROWSER_TEST

SUBJECT = "Soirée guinguette sur la place du village"


@pytest.fixture
def content(home_site, settings):
    """A public forum topic and an animation kind, indexed in the database copy at commit."""
    settings.MEILISEARCH_URL = ""
    query.reset_circuit()
    ensure_role_groups()
    ensure_forum_tree()
    staff = make_member(Role.STAFF, display_name="Édith Équipe")
    topic = make_topic(
        area("public"),
        staff,
        subject=SUBJECT,
        content="Les bénévoles tiennent la buvette, un accordéoniste anime le bal.",
    )
    AnimationKind.objects.create(
        slug="guinguette-des-essais", name="Guinguette des essais", summary="Un bal itinérant."
    )
    return topic


def test_search_pages_are_accessible(page, content):
    page.goto("/recherche/")
    assert_accessible(page, "/recherche/ before any search")
    page.goto("/recherche/?q=guinguette")
    titles = page.locator(".search-hit h3").all_inner_texts()
    assert SUBJECT in titles and "Guinguette des essais" in titles
    assert page.locator(".search-hit mark").first.inner_text().lower() == "guinguette"
    assert_accessible(page, "/recherche/ with results")
    page.goto("/recherche/?q=zygomatique")
    assert "Aucun résultat pour « zygomatique »" in page.locator("h2.search-count").inner_text()
    assert_accessible(page, "/recherche/ without result")
    page.goto("/forum/search/?q=guinguette")
    assert page.locator(".search-hit h3").all_inner_texts() == [SUBJECT]
    assert_accessible(page, "/forum/search/ with results")


def test_suggestions_appear_while_typing_and_the_keyboard_opens_one(page, content):
    page.goto("/recherche/")
    page.locator("#id_q").press_sequentially("guing", delay=40)
    suggestions = page.locator("#id_q-suggestions a")
    suggestions.first.wait_for(state="visible")
    assert page.locator("#id_q").get_attribute("aria-expanded") == "true"
    labels = suggestions.all_inner_texts()
    assert any(SUBJECT in label for label in labels), labels
    target = next(i for i, label in enumerate(labels) if SUBJECT in label)
    page.locator("#id_q").press("ArrowDown")
    for _ in range(target):
        page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert path_of(page) == topic_url(content)
    assert page.locator("h1").inner_text() == SUBJECT


def test_the_form_works_with_javascript_disabled(browser, live_server, content):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/recherche/")
        page.fill("#id_q", "buvette")
        with page.expect_navigation():
            page.locator("form.search-form").get_by_role("button", name="Rechercher").click()
        assert path_of(page) == "/recherche/?q=buvette"
        assert page.locator("#id_q-suggestions").count() == 0
        assert page.get_by_role("link", name=SUBJECT).count() == 1
        with page.expect_navigation():
            page.get_by_role("link", name=SUBJECT).click()
        assert path_of(page).startswith(topic_url(content))
    finally:
        context.close()
