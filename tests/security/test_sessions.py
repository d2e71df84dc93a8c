"""A password change or reset signs the member out of every other session (sessions live in
the database: two clients are two browsers)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, TestCase

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"


def signed_in(user, password: str = PASSWORD) -> Client:
    client = Client()
    response = client.post("/comptes/login/", {"login": user.email, "password": password})
    assert response.status_code == 302
    assert client.get("/espace/").status_code == 200
    return client


def reset_password(client: Client, email: str, password: str) -> None:
    """The whole « mot de passe oublié » flow: request, e-mailed link, new password."""
    mail.outbox.clear()
    # The e-mail is a task enqueued when the request's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post("/comptes/password/reset/", {"email": email}).status_code == 302
    link = re.search(r"https?://[^/\s]+(/comptes/password/reset/key/\S+)", mail.outbox[0].body)
    form_url = client.get(link.group(1))["Location"]
    response = client.post(form_url, {"password1": password, "password2": password})
    assert response.status_code == 302, response.content.decode()


def test_a_password_change_keeps_this_session_and_signs_out_the_others(elected_user):
    laptop, phone = signed_in(elected_user), signed_in(elected_user)

    response = laptop.post(
        "/comptes/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert laptop.get("/espace/").status_code == 200
    assert phone.get("/espace/")["Location"].startswith("/comptes/login/")
    signed_in(elected_user, NEW_PASSWORD)


def test_a_password_reset_signs_out_every_session(elected_user):
    stolen = signed_in(elected_user)

    reset_password(Client(), elected_user.email, NEW_PASSWORD)

    assert stolen.get("/espace/")["Location"].startswith("/comptes/login/")
    signed_in(elected_user, NEW_PASSWORD)
