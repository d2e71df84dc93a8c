"""Staying signed in: the member is loaded on each request by
community.accounts.backends.MemberBackend, sessions opened before it keep working."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.test import Client

from community.accounts.backends import MemberBackend
from community.accounts.models import Role, User
from tests.factories import make_member

pytestmark = pytest.mark.django_db

PASSWORD = "un-cafe-au-village-2026"
ALLAUTH = "allauth.account.auth_backends.AuthenticationBackend"


@pytest.fixture
def lucie() -> User:
    member = make_member(Role.ELECTED, email="lucie@example.org", display_name="Lucie Maire")
    member.set_password(PASSWORD)
    member.save()
    return member


def signed_in(client: Client) -> bool:
    response = client.get("/espace/")
    return response.status_code == 200 and "Lucie Maire" in response.content.decode()


def test_a_login_opens_a_session_under_the_member_backend(lucie):
    client = Client()
    client.post("/comptes/login/", {"login": "lucie@example.org", "password": PASSWORD})
    assert client.session[BACKEND_SESSION_KEY] == "community.accounts.backends.MemberBackend"
    assert signed_in(client)


def test_a_session_opened_under_allauths_backend_stays_signed_in(lucie):
    client = Client()
    client.force_login(lucie, backend=ALLAUTH)
    assert signed_in(client)


def test_the_member_loaded_is_the_row_as_stored(lucie):
    loaded = MemberBackend().get_user(lucie.pk)
    stored = User.objects.get(pk=lucie.pk)
    for field in User._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(stored, field.attname), field.name


def test_a_deactivated_member_is_signed_out_at_their_next_request(lucie):
    client = Client()
    client.force_login(lucie)
    assert signed_in(client)
    lucie.is_active = False
    lucie.save()
    response = client.get("/espace/")
    assert response.status_code == 302 and response.url.startswith("/comptes/login/")


def test_a_session_of_a_deleted_member_is_a_visitor(lucie):
    client = Client()
    client.force_login(lucie)
    session = client.session
    session[SESSION_KEY] = "999999"
    session.save()
    response = client.get("/espace/")
    assert response.status_code == 302 and response.url.startswith("/comptes/login/")


def test_a_wrong_password_is_checked_once(lucie, monkeypatch):
    checks = []
    check_password = User.check_password
    monkeypatch.setattr(
        User, "check_password", lambda user, raw: checks.append(raw) or check_password(user, raw)
    )
    client = Client()
    response = client.post("/comptes/login/", {"login": "lucie@example.org", "password": "non"})
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert checks == ["non"]


def test_once_loaded_the_member_is_the_requests_user_itself(lucie, rf):
    """community.accounts.middleware.AuthenticationMiddleware: the first read loads the
    member (once), later reads skip the lazy proxy; a visitor stays anonymous."""
    from django.contrib.sessions.backends.db import SessionStore

    from community.accounts.middleware import AuthenticationMiddleware

    client = Client()
    client.force_login(lucie)
    seen = []

    def view(request):
        first = request.user
        seen.extend([first.pk, type(request.user)])
        return None

    middleware = AuthenticationMiddleware(view)
    request = rf.get("/")
    request.session = SessionStore(client.session.session_key)
    middleware(request)
    assert seen == [lucie.pk, User]

    visitor = rf.get("/")
    visitor.session = SessionStore()
    AuthenticationMiddleware(lambda request: seen.append(request.user.is_anonymous))(visitor)
    assert seen[-1] is True
