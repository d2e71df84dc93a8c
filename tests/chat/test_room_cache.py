"""A room page read again comes from the cache (chat/views.py): each member still sees the
buttons for what they may edit or delete, with their own CSRF token; a new message, an edit
or a deletion shows at once; the read mark follows the newest message."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from community.accounts.models import Role
from forum.chat import services
from forum.chat.models import Message, ReadMark
from tests.factories import make_member

from .conftest import room

pytestmark = pytest.mark.django_db

URL = "/chat/reseau/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def page(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def delete_forms(html: str) -> list[tuple[str, str]]:
    """(the message id, the CSRF token) of each delete form of the page."""
    return re.findall(
        r'action="/chat/reseau/messages/(\d+)/supprimer/" class="chat-delete">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        html,
    )


def test_each_member_sees_the_buttons_they_may_use_with_their_own_token(
    elected_user, manager_user, staff_user
):
    mine = services.post_message(elected_user, room("reseau"), "Le mien")
    theirs = services.post_message(manager_user, room("reseau"), "Le leur")
    author, staff = signed_in(elected_user), signed_in(staff_user)
    neighbour = signed_in(make_member(Role.ELECTED, display_name="Odile Élue"))
    clients = {"author": author, "neighbour": neighbour, "staff": staff, "author again": author}
    pages = {who: page(client) for who, client in clients.items()}

    for who in ("author", "author again"):
        assert [pk for pk, _ in delete_forms(pages[who])] == [str(mine.pk)]
        assert pages[who].count('class="chat-edit"') == 1
    assert delete_forms(pages["neighbour"]) == []
    assert 'class="chat-edit"' not in pages["neighbour"]
    assert [pk for pk, _ in delete_forms(pages["staff"])] == [str(mine.pk), str(theirs.pk)]
    # Every token on a page is its reader's own, never another member's.
    for who, html in pages.items():
        secret = clients[who].cookies[settings.CSRF_COOKIE_NAME].value
        assert {_unmask_cipher_token(token) for token in TOKEN.findall(html)} == {secret}

    # The buttons work without JavaScript, CSRF checks on.
    token = delete_forms(pages["staff"])[1][1]
    response = staff.post(
        f"/chat/reseau/messages/{theirs.pk}/supprimer/", {"csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert list(Message.objects.all()) == [mine]


def test_a_new_message_an_edit_and_a_deletion_show_at_once(elected_user, manager_user):
    reader = signed_in(elected_user)
    first = services.post_message(manager_user, room("reseau"), "Bonjour à toutes et tous")
    assert "Bonjour à toutes et tous" in page(reader)

    second = services.post_message(manager_user, room("reseau"), "Qui vient jeudi ?")
    assert "Qui vient jeudi ?" in page(reader)
    services.edit_message(manager_user, room("reseau"), second.pk, "Qui vient vendredi ?")
    html = page(reader)
    assert "Qui vient vendredi ?" in html and "(modifié)" in html
    services.delete_message(manager_user, room("reseau"), first.pk)
    assert "Bonjour à toutes et tous" not in page(reader)


def test_the_read_mark_follows_the_newest_message(elected_user, manager_user):
    reader = signed_in(elected_user)
    services.post_message(manager_user, room("reseau"), "Un")
    page(reader)
    newest = services.post_message(manager_user, room("reseau"), "Deux")
    page(reader)
    assert ReadMark.objects.get(user=elected_user, room=room("reseau")).last_read_id == newest.pk
