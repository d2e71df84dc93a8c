from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from community.accounts.models import MembershipStatus, Role, User
from tests.factories import make_cafe, make_commune, make_member

PASSWORD = "un-cafe-au-village-2026"


def signup_data(**overrides) -> dict[str, str]:
    return {
        "display_name": "Lucie Bernard",
        "email": "lucie@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": Role.ELECTED,
        "commune": "",
        "cafe": "",
        "organisation": "",
        "application_note": "Maire de Lautrec, notre café a fermé en 2024.",
        **overrides,
    }


@pytest.fixture
def lautrec(db):
    return make_commune("Lautrec", insee_code="81139", postal_codes="81440", population=1900)


@pytest.mark.django_db
def test_signup_creates_a_pending_member_and_sends_a_french_confirmation(
    client, lautrec, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comptes/signup/", signup_data(commune="Lautrec"))

    assert response.status_code == 302
    member = User.objects.get(email="lucie@example.org")
    assert member.membership_status == MembershipStatus.PENDING
    assert member.role == Role.ELECTED
    assert member.commune == lautrec
    assert member.groups.count() == 0
    assert not EmailAddress.objects.get(user=member).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[1000 cafés] Confirmez votre adresse e-mail"
    assert "/comptes/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_unverified_member_cannot_log_in(client, lautrec):
    client.post("/comptes/signup/", signup_data(commune="Lautrec"))
    client.logout()
    mail.outbox.clear()

    response = client.post("/comptes/login/", {"login": "lucie@example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/confirm-email/")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_confirming_the_email_notifies_reviewers_and_login_lands_on_the_status_page(
    client, lautrec, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/comptes/signup/", signup_data(commune="Lautrec"))
    link = re.search(r"http://\S+/comptes/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 302
    assert [message.to for message in mail.outbox] == [[staff_user.email]]
    assert "Lucie Bernard" in mail.outbox[0].subject

    client.logout()
    response = client.post(
        "/comptes/login/", {"login": "lucie@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/adhesion/"
    assert "en cours d'examen" in response.content.decode()


@pytest.mark.django_db
def test_manager_signup_claims_the_cafe_and_its_commune(client):
    cafe = make_cafe("Le Bistrot de Poche", commune=make_commune("Cordes-sur-Ciel"))

    client.post(
        "/comptes/signup/",
        signup_data(role=Role.MANAGER, cafe="Le Bistrot de Poche – Cordes-sur-Ciel"),
    )

    member = User.objects.get(email="lucie@example.org")
    assert member.commune == cafe.commune
    # A claim for staff to check, not yet a place among the café's managers.
    assert member.claimed_cafe == cafe
    assert not member.managed_cafes.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"commune": ""}, "commune", "Indiquez votre commune."),
        ({"commune": "Nullepart-sur-Mer"}, "commune", "Aucune commune ne correspond"),
        ({"role": Role.PARTNER}, "organisation", "Indiquez le nom de votre structure."),
        ({"role": Role.STAFF, "commune": "Lautrec"}, "role", "Sélectionnez un choix valide"),
        ({"display_name": ""}, "display_name", "Champ requis."),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
        ({"password2": "autre-chose-2026"}, "password2", "mot de passe"),
        ({"role": Role.MANAGER, "cafe": "Café Fantôme"}, "cafe", "Aucun café du réseau"),
    ],
)
def test_bad_signup_input_gets_a_french_error_and_creates_nothing(
    client, lautrec, overrides, field, message
):
    response = client.post("/comptes/signup/", signup_data(**{"commune": "Lautrec", **overrides}))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert not User.objects.filter(email="lucie@example.org").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_signup_with_a_taken_email_creates_nothing_and_tells_its_owner(
    client, lautrec, django_capture_on_commit_callbacks
):
    existing = make_member(Role.ELECTED, email="lucie@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/comptes/signup/", signup_data(commune="Lautrec", email="Lucie@Example.org")
        )

    # The same answer as for a new address (tests/security/test_enumeration.py).
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="lucie@example.org").get() == existing
    assert [message.to for message in mail.outbox] == [["lucie@example.org"]]


@pytest.mark.django_db
def test_ambiguous_commune_lists_the_choices(client):
    make_commune("Saint-Martin", insee_code="12230", postal_codes="12100")
    make_commune("Saint-Martin", insee_code="32390", postal_codes="32300")

    response = client.post("/comptes/signup/", signup_data(commune="saint-martin"))

    errors = " ".join(response.context["form"].errors["commune"])
    assert "Saint-Martin (12100)" in errors and "Saint-Martin (32300)" in errors


@pytest.mark.django_db
def test_login_is_rate_limited_after_repeated_failures(lautrec):
    member = make_member(Role.ELECTED, email="lucie@example.org")
    client = Client()
    for _ in range(5):
        client.post("/comptes/login/", {"login": member.email, "password": "mauvais"})

    response = client.post("/comptes/login/", {"login": member.email, "password": "mauvais"})

    assert response.status_code == 429 or "Trop" in response.content.decode()
