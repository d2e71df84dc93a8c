"""The header of every member page: its unread-notifications count comes from the cache,
and every write that creates, reads or deletes a notification shows there at once; a
member whose membership or role changes sees the header that goes with it."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.accounts import services as accounts
from community.accounts.models import MembershipStatus, Role
from community.fragments import CSRF_PLACEHOLDER
from forum.models import Notification
from forum.tree import theme
from tests.factories import make_member
from tests.forum.conftest import add_post, make_topic

pytestmark = pytest.mark.django_db


def header(client) -> str:
    page = client.get("/").content.decode()
    return page[page.index('<header class="site-header">') : page.index("</header>")]


def unread_badge(client) -> int:
    """The count next to « Notifications du forum » (0 when none is shown)."""
    found = re.search(
        r'class="notifications-link"[^>]*>[^<]*<span class="badge">(\d+)', header(client)
    )
    return int(found.group(1)) if found else 0


@pytest.fixture
def followed_topic(elected_user, manager_user):
    topic = make_topic(theme("Gestion du café"), elected_user, subject="Épicerie du village")
    topic.subscribers.add(elected_user)
    return topic


def reply(client, topic, content: str) -> None:
    url = reverse(
        "forum_conversation:post_create",
        args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
    )
    response = client.post(url, {"subject": f"Re: {topic.subject}", "content": content})
    assert response.status_code == 302


def test_a_new_notification_shows_in_the_header_at_once(
    client_for, followed_topic, django_capture_on_commit_callbacks
):
    elected = client_for("elected")
    assert unread_badge(elected) == 0  # counted, and kept
    manager = client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        reply(manager, followed_topic, "Les horaires changent lundi.")
    assert unread_badge(elected) == 1
    with django_capture_on_commit_callbacks(execute=True):
        reply(manager, followed_topic, "Et le marché se tient jeudi.")
    assert unread_badge(elected) == 2


def test_reading_notifications_lowers_the_count_at_once(
    client_for, followed_topic, elected_user, django_capture_on_commit_callbacks
):
    manager = client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        reply(manager, followed_topic, "Première réponse")
        reply(manager, followed_topic, "Deuxième réponse")
    elected = client_for("elected")
    assert unread_badge(elected) == 2
    first = Notification.objects.filter(recipient=elected_user).first()
    elected.get(reverse("discussions:open_notification", args=[first.pk]))
    assert unread_badge(elected) == 1
    elected.post(reverse("discussions:notifications"))
    assert unread_badge(elected) == 0


def test_a_deleted_post_leaves_the_count_at_once(
    client_for, followed_topic, elected_user, manager_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("manager"), followed_topic, "Une réponse retirée ensuite")
    elected = client_for("elected")
    assert unread_badge(elected) == 1
    Notification.objects.get(recipient=elected_user).post.delete()
    assert unread_badge(elected) == 0
    # A notification written by hand (the admin, a fix in the shell) counts at once too.
    post = add_post(followed_topic, manager_user)
    Notification.objects.create(recipient=elected_user, kind="reply", post=post)
    assert unread_badge(elected) == 1


def test_the_count_is_not_queried_again_until_it_changes(client_for, elected_user):
    elected = client_for("elected")
    unread_badge(elected)
    with CaptureQueriesContext(connection) as queries:
        assert unread_badge(elected) == 0
    assert not [q for q in queries if "discussions_notification" in q["sql"]]


def test_a_member_whose_membership_changes_sees_the_right_header(client_for, staff_user):
    candidate = make_member(Role.ELECTED, status=MembershipStatus.PENDING, display_name="Lou")
    client = client_for("anonymous")
    client.force_login(candidate)
    seen = header(client)
    assert "Adhésion en attente" in seen
    assert "Mon espace" not in seen
    assert "Notifications du forum" not in seen

    accounts.approve_member(candidate, by=staff_user)
    seen = header(client)
    assert "Adhésion en attente" not in seen
    assert "Mon espace" in seen
    assert "Notifications du forum" in seen
    assert "Administration" not in seen

    candidate.role = Role.STAFF
    candidate.save(update_fields=["role"])
    seen = header(client)
    assert "Administration" in seen
    assert candidate.get_role_display() in seen


def test_each_member_reads_their_own_account_box(client_for, elected_user, manager_user):
    """The account box is kept per member: two members in turn, twice (the second round
    reads what the first one kept), each see their own name and role, never the other's."""
    clients = {"elected": client_for("elected"), "manager": client_for("manager")}
    members = {"elected": elected_user, "manager": manager_user}
    for _ in range(2):
        for role, client in clients.items():
            seen, other = header(client), members["manager" if role == "elected" else "elected"]
            assert members[role].display_name in seen and other.display_name not in seen
            assert members[role].get_role_display() in seen


def test_a_new_display_name_shows_at_once(client_for, elected_user):
    elected = client_for("elected")
    assert "Marie Maire" in header(elected)
    elected_user.display_name = "Marie Dupont-Maire"
    elected_user.save(update_fields=["display_name"])
    assert "Marie Dupont-Maire" in header(elected)


def test_the_logout_form_carries_each_requests_own_token(elected_user):
    """The account box is kept without its CSRF token: signed in on two browsers, the
    member signs out of the second with the token its page carries (another browser's
    token would fail with a 403)."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(elected_user)
    header(first)  # the account box is kept from the first browser's page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header(second)).group(1)
    assert token != CSRF_PLACEHOLDER
    response = second.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "Se connecter" in header(second)


def test_the_current_page_is_marked_on_each_address(client_for):
    elected = client_for("elected")

    def current(path: str) -> list[str]:
        page = elected.get(path).content.decode()
        nav = page[page.index('<nav class="main-nav"') : page.index("</nav>")]
        return re.findall(r'<a href="([^"]+)" aria-current="page"', nav)

    for _ in range(2):  # kept per address: each one marks its own link
        assert current("/forum/") == ["/forum/"]
        assert current(reverse("events:catalogue")) == [reverse("events:catalogue")]
        assert current(reverse("accounts:dashboard")) == [reverse("accounts:dashboard")]
