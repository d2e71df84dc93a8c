"""No key page scrolls sideways, from a 320 px phone to a 1440 px screen, whoever is signed
in: the demo's pages (seed_demo, as a visitor of `make run` meets them) for a visitor, an
elected member, a café manager and staff, whose header carries the most links.
"""

from __future__ import annotations

from io import StringIO

from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from machina.apps.forum_conversation.models import Topic

from community.accounts.models import User
from forum.services import topic_url
from forum.tree import area
from tests.factories import TOTP_SECRET

from .helpers import BROWSER_TEST, OVERFLOW, WIDTHS, log_in, restore_events_catalogue

pytestmark = BROWSER_TEST

DEMO_PASSWORD = "cafe-demo-2025"
ROLES = {
    "anonymous": None,
    "elected": "maire@example.org",
    "manager": "gerant@example.org",
    "staff": "equipe@example.org",
}


def key_pages() -> list[str]:
    topic = Topic.objects.filter(forum=area("public")).order_by("-posts_count").first()
    return [
        "/",
        "/boites-a-outils/",
        "/boites-a-outils/etude-de-prefiguration/",
        "/webinaires/",
        "/forum/",
        topic_url(topic),
        "/chat/",
        "/animations/",
        "/animations/agenda/",
        "/espace/",
        "/recherche/?q=caf%C3%A9",
        "/candidater/",
        "/nous-rejoindre/",
        "/carte/",
        "/offres-de-gerance/",
    ]


def overflows(page, label: str) -> list[str]:
    """Where the page scrolls sideways, width by width; on narrow screens with the menu open
    too, since it drops over the page there."""
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            found.append(f"{label} at {width} px: {overflow} px")
        toggle = page.locator(".site-menu > summary")
        if toggle.is_visible():
            toggle.click()
            overflow = page.evaluate(OVERFLOW)
            if overflow > 0:
                found.append(f"{label} at {width} px, menu open: {overflow} px")
            toggle.click()
    return found


def test_no_key_page_scrolls_sideways_for_any_role(new_page):
    restore_events_catalogue()
    call_command("seed_demo", stdout=StringIO())
    TOTP.activate(User.objects.get(email=ROLES["staff"]), TOTP_SECRET)
    pages = key_pages()
    found = []
    for role, email in ROLES.items():
        page = new_page()
        if email:
            log_in(page, email, password=DEMO_PASSWORD)
        for path in pages:
            response = page.goto(path)
            assert response.ok, f"{path} as {role}: {response.status}"
            found += overflows(page, f"{path} as {role}")
    assert found == [], "Pages scrolling sideways:\n" + "\n".join(found)
