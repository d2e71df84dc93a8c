"""Sign-up and password reset answer the same whether an address has an account or not: the
owner of a known address learns the rest by e-mail, nobody else learns anything."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from community.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def answer(client: Client, url: str, data: dict) -> tuple[str, str]:
    """Where the answer leads and what that page says (its CSRF token, and the address the
    visitor typed, which it repeats, aside)."""
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"]).content.decode().replace(data["email"], "…")
    return response["Location"], re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def signup(email: str) -> dict[str, str]:
    return {
        "display_name": "Paula Partenaire",
        "email": email,
        "password1": "un-cafe-au-village-2026",
        "password2": "un-cafe-au-village-2026",
        "role": Role.PARTNER,
        "commune": "",
        "cafe": "",
        "organisation": "Compagnie du Pré",
        "application_note": "",
    }


def test_signup_says_the_same_for_a_known_and_an_unknown_address(
    elected_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = answer(Client(), "/comptes/signup/", signup(elected_user.email))
        unknown = answer(Client(), "/comptes/signup/", signup("nouvelle@example.org"))

    assert known == unknown
    assert "Confirmez votre adresse e-mail" in known[1]
    assert User.objects.filter(email__iexact=elected_user.email).count() == 1
    # The owner of the known address is told that someone tried, in French.
    to_owner = [m for m in mail.outbox if m.to == [elected_user.email]]
    assert len(to_owner) == 1
    assert "déjà" in to_owner[0].body


def test_password_reset_says_the_same_for_a_known_and_an_unknown_address(
    elected_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = answer(Client(), "/comptes/password/reset/", {"email": elected_user.email})
        unknown = answer(Client(), "/comptes/password/reset/", {"email": "inconnu@example.org"})

    assert known == unknown
    assert [m.to for m in mail.outbox] == [[elected_user.email], ["inconnu@example.org"]]
    assert "/comptes/password/reset/key/" in mail.outbox[0].body
    assert "/comptes/password/reset/key/" not in mail.outbox[1].body
