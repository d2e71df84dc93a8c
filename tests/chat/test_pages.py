"""Chat pages by role, the room without JavaScript (POST/Redirect/GET), unread counts,
direct conversations, and a room page whose query count does not grow with its history."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.accounts.models import Role
from community.page_cache import PAGES as CONTENT
from forum.chat.models import Message, ReadMark, Room
from forum.chat.services import open_direct_conversation
from tests.factories import make_member
from tests.matrix import LOGIN, MEMBERSHIP, Redirect, cases, check, members_only

from .conftest import post, room

pytestmark = pytest.mark.django_db


def approved(**roles) -> dict:
    return {"anonymous": LOGIN, "pending": MEMBERSHIP, "refused": MEMBERSHIP, **roles}


# {direct}: a conversation between the elected member and another member.
ROOM_ACCESS = {
    "elus": approved(elected=200, manager=403, partner=403, staff=200),
    "gerants": approved(elected=403, manager=200, partner=403, staff=200),
    "reseau": members_only(200),
    # Private between its two participants: staff do not read it either.
    "{direct}": approved(elected=200, manager=403, partner=403, staff=403),
    "pas-de-salon": approved(elected=404, manager=404, partner=404, staff=404),
}

PAGES = {
    "/chat/": members_only(200),
    **{f"/chat/{slug}/": expected for slug, expected in ROOM_ACCESS.items()},
    **{f"/chat/{slug}/?avant=100": expected for slug, expected in ROOM_ACCESS.items()},
}


@pytest.fixture
def direct(elected_user) -> Room:
    other = make_member(Role.ELECTED, display_name="Odile Autre")
    return open_direct_conversation(elected_user, other)


def fill(url: str, direct: Room) -> str:
    return url.replace("{direct}", direct.slug)


@pytest.mark.parametrize(("url", "role", "expected"), cases(PAGES))
def test_chat_pages_by_role(client_for, direct, url, role, expected):
    check(client_for(role), fill(url, direct), expected)


def _post_expectation(expected):
    # Allowed members are redirected back to the room (PRG); refusals stay as they are.
    return Redirect("/chat/") if expected == 200 else expected


@pytest.mark.parametrize(
    ("url", "role", "expected"),
    cases({f"/chat/{slug}/": expected for slug, expected in ROOM_ACCESS.items()}),
)
def test_posting_without_javascript_by_role(client_for, direct, url, role, expected):
    url = fill(url, direct)
    before = Message.objects.count()
    response = client_for(role).post(url, {"body": "Bonjour à tous"})
    expected = _post_expectation(expected)
    if isinstance(expected, Redirect):
        assert response.status_code == 302
        assert response["Location"].startswith(expected.to)
    else:
        assert response.status_code == expected
    assert Message.objects.count() == before + (1 if expected == Redirect("/chat/") else 0)


def test_post_redirect_get_shows_the_message_once(client_for, elected_user):
    client = client_for("elected")
    response = client.post("/chat/reseau/", {"body": "Qui a un fournisseur de bière locale ?"})
    message = Message.objects.get()
    assert response["Location"] == f"/chat/reseau/#message-{message.pk}"
    assert message.author == elected_user
    page = client.get("/chat/reseau/")
    assert page.content.decode().count("Qui a un fournisseur de bière locale ?") == 1
    assert 'data-room="reseau"' in page.content.decode()


def test_the_form_needs_a_csrf_token(elected_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(elected_user)
    response = client.post("/chat/reseau/", {"body": "Sans jeton"})
    assert response.status_code == 403
    assert not Message.objects.exists()
    page = client.get("/chat/reseau/")
    assert b'name="csrfmiddlewaretoken"' in page.content


def chat_form_token(page) -> str:
    form = page.content.decode().split('id="chat-form"', 1)[1].split("</form>", 1)[0]
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)


def test_the_blank_form_kept_for_every_member_carries_each_ones_token(elected_user, manager_user):
    """The blank form is rendered once for the room: each member's copy works for them."""
    for author in (elected_user, manager_user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(author)
        token = chat_form_token(client.get("/chat/reseau/"))
        response = client.post(
            "/chat/reseau/", {"body": f"De {author.pk}", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    assert sorted(Message.objects.values_list("body", flat=True)) == sorted(
        [f"De {elected_user.pk}", f"De {manager_user.pk}"]
    )


def test_a_refused_message_stays_with_its_author(client_for):
    """The sender sees their text back with the error; the next member gets a blank form."""
    refused = client_for("elected").post("/chat/reseau/", {"body": "trop long " + "x" * 2000})
    assert refused.status_code == 400
    assert "trop long xxx" in refused.content.decode()
    other = client_for("manager").get("/chat/reseau/").content.decode()
    assert "trop long" not in other
    assert "Le message est trop long" not in other


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Le message est vide."),
        ("   \n ", "Le message est vide."),
        ("x" * 2001, "Le message est trop long : 2001 caractères, 2000 au maximum."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_invalid_message_shows_a_french_error_and_stores_nothing(client_for, body, error):
    response = client_for("elected").post("/chat/reseau/", {"body": body})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Message.objects.exists()


def test_exactly_the_length_limit_is_accepted(client_for):
    response = client_for("elected").post("/chat/reseau/", {"body": "é" * 2000})
    assert response.status_code == 302
    assert Message.objects.get().body == "é" * 2000


def test_rate_limit_without_javascript(client_for, settings):
    settings.CHAT_RATE_LIMIT = (3, 60)
    client = client_for("manager")
    for n in range(3):
        assert client.post("/chat/gerants/", {"body": f"Message {n}"}).status_code == 302
    response = client.post("/chat/gerants/", {"body": "Un de trop"})
    assert response.status_code == 400
    assert "Vous envoyez trop de messages : 3 au plus toutes les 60 secondes." in (
        response.content.decode()
    )
    assert Message.objects.count() == 3


def test_bodies_are_shown_as_text(client_for, elected_user):
    post(elected_user, room("reseau"), body="<script>alert('x')</script> <b>gras</b>")
    html = client_for("elected").get("/chat/reseau/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;gras&lt;/b&gt;" in html


def test_room_shows_the_last_fifty_with_a_link_to_older_ones(client_for, elected_user):
    messages = post(elected_user, room("reseau"), count=120, body="Message numéro {n}.")
    client = client_for("elected")
    html = client.get("/chat/reseau/").content.decode()
    assert html.count('<li class="chat-message') == 50
    assert "Message numéro 119." in html and "Message numéro 70." in html
    assert "Message numéro 69." not in html
    assert f'href="?avant={messages[70].pk}"' in html
    older = client.get(f"/chat/reseau/?avant={messages[70].pk}").content.decode()
    assert "Message numéro 69." in older and "Message numéro 20." in older
    assert "Message numéro 70." not in older and "Message numéro 19." not in older
    oldest = client.get(f"/chat/reseau/?avant={messages[20].pk}").content.decode()
    assert oldest.count('<li class="chat-message') == 20
    assert "Messages plus anciens</a>" not in oldest


def test_room_page_query_count_does_not_grow_with_history(
    client_for, elected_user, django_capture_on_commit_callbacks
):
    client = client_for("elected")
    reseau = room("reseau")
    authors = [make_member(Role.MANAGER, display_name=f"Gérant {n}") for n in range(5)]

    def queries_with(total: int) -> tuple[int, int]:
        """The queries of the page rendered (its kept parts outdated), then kept."""
        Message.objects.all().delete()
        for author in authors:
            post(author, reseau, count=total // len(authors))
        with django_capture_on_commit_callbacks(execute=True):
            client.get("/chat/reseau/")  # settle the session and the read mark
        counts = []
        for outdated in (True, False):
            if outdated:
                CONTENT.renew()
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/chat/reseau/")
            assert response.status_code == 200
            counts.append(len(queries))
        return tuple(counts)

    counts = {total: queries_with(total) for total in (10, 100, 1000)}
    assert counts[10] == counts[100] == counts[1000], counts
    assert counts[10][1] == 1, counts  # the member's row


def test_index_lists_rooms_by_role_with_unread_counts(client_for, elected_user, manager_user):
    reseau, elus = room("reseau"), room("elus")
    post(manager_user, reseau, count=3)
    post(elected_user, elus, count=2)  # one's own messages are never unread
    client = client_for("elected")
    html = client.get("/chat/").content.decode()
    assert "Salon des élu·es" in html and "Salon du réseau" in html
    assert "Salon des gérant·es" not in html
    assert "3 messages non lus" in html
    client.get("/chat/reseau/")
    assert ReadMark.objects.get(user=elected_user, room=reseau).last_read_id == (
        Message.objects.filter(room=reseau).latest("id").pk
    )
    html = client.get("/chat/").content.decode()
    assert "non lu" not in html.replace("Aucun message non lu", "")
    post(manager_user, reseau, count=1)
    assert "1 message non lu" in client.get("/chat/").content.decode()


def test_index_query_count_is_bounded(client_for, elected_user, manager_user):
    client = client_for("elected")
    for _ in range(5):
        open_direct_conversation(elected_user, make_member(Role.MANAGER))
    post(manager_user, room("reseau"), count=50)
    client.get("/chat/")
    with CaptureQueriesContext(connection) as few:
        client.get("/chat/")
    for _ in range(20):
        open_direct_conversation(elected_user, make_member(Role.MANAGER))
    with CaptureQueriesContext(connection) as many:
        client.get("/chat/")
    assert len(few) == len(many)


def test_open_a_direct_conversation(client_for, elected_user, manager_user):
    client = client_for("elected")
    response = client.post("/chat/direct/", {"member": manager_user.pk})
    conversation = Room.objects.get(audience="direct")
    assert response["Location"] == f"/chat/{conversation.slug}/"
    assert set(conversation.participants.all()) == {elected_user, manager_user}
    # Opening it again, from either side, finds the same room.
    again = client.post("/chat/direct/", {"member": manager_user.pk})
    assert again["Location"] == response["Location"]
    other = client_for("manager").post("/chat/direct/", {"member": elected_user.pk})
    assert other["Location"] == response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Conversation avec Gaston Gérant" in page
    assert Room.objects.filter(audience="direct").count() == 1


def test_a_direct_conversation_needs_an_approved_member(client_for, pending_user):
    response = client_for("elected").post("/chat/direct/", {"member": pending_user.pk})
    assert response.status_code == 302
    assert not Room.objects.filter(audience="direct").exists()


def test_edit_and_delete_without_javascript(client_for, elected_user, manager_user):
    mine = post(elected_user, room("reseau"), body="Premier jet")[0]
    theirs = post(manager_user, room("reseau"), body="Le leur")[0]
    client = client_for("elected")
    edit_url = f"/chat/reseau/messages/{mine.pk}/modifier/"
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"body": "Version corrigée"})
    assert response["Location"] == f"/chat/reseau/#message-{mine.pk}"
    mine.refresh_from_db()
    assert mine.body == "Version corrigée" and mine.edited is not None
    assert client.post(edit_url, {"body": ""}).status_code == 400
    assert client.get(f"/chat/reseau/messages/{theirs.pk}/modifier/").status_code == 403
    assert client.post(f"/chat/reseau/messages/{theirs.pk}/supprimer/").status_code == 403
    assert client.post(f"/chat/reseau/messages/{mine.pk}/supprimer/").status_code == 302
    assert list(Message.objects.all()) == [theirs]
    # Staff moderate: they delete anyone's message.
    staff = client_for("staff")
    assert staff.post(f"/chat/reseau/messages/{theirs.pk}/supprimer/").status_code == 302
    assert not Message.objects.exists()


def test_a_message_cannot_be_reached_through_another_room(client_for, elected_user):
    message = post(elected_user, room("elus"))[0]
    client = client_for("elected")
    assert client.post(f"/chat/reseau/messages/{message.pk}/supprimer/").status_code == 302
    assert Message.objects.filter(pk=message.pk).exists()
    assert client.get(f"/chat/reseau/messages/{message.pk}/modifier/").status_code == 404
