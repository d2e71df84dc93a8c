"""Two-factor authentication: an authenticator app (TOTP) and recovery codes for every member,
required of staff before the Wagtail admin. Codes are computed here as the phone app does."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.test import Client

from community.accounts.models import Role
from tests.factories import PASSWORD, make_member, totp_code

pytestmark = pytest.mark.django_db

ENROL = "/espace/double-authentification/"
STAGE = "/comptes/2fa/authenticate/"


def log_in(client: Client, user) -> None:
    response = client.post("/comptes/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def confirm_password(client: Client, url: str):
    """Changing the second factor asks for the password again first (allauth)."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/reauthenticate/")
    assert "Confirmer" in client.get(response["Location"]).content.decode()
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == url
    return client.get(url)


def activation_secret(page: str) -> str:
    return re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page).group(1)


@pytest.fixture
def new_staff(db):
    """A staff account as seed_demo and the admin create it: no authenticator app yet."""
    return make_member(Role.STAFF, display_name="Noé Nouveau", totp=False)


@pytest.mark.parametrize("url", ["/admin/", "/admin/adhesions/", "/admin/pages/"])
def test_staff_without_an_authenticator_app_are_sent_to_enrol_first(new_staff, url):
    client = Client()
    client.force_login(new_staff)

    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, ENROL)
    page = client.get(ENROL).content.decode()
    assert "Protégez votre compte par la double authentification" in page
    assert "L'administration du site donne accès aux données des membres" in page
    assert 'href="/comptes/2fa/totp/activate/"' in page


def test_staff_enrol_an_authenticator_app_then_reach_the_admin(new_staff):
    client = Client()
    log_in(client, new_staff)
    assert client.get("/admin/")["Location"] == ENROL

    page = confirm_password(client, "/comptes/2fa/totp/activate/").content.decode()
    assert "Activer l'application d'authentification" in page
    assert "<svg" in page  # the QR code, inline
    secret = activation_secret(page)

    wrong = client.post("/comptes/2fa/totp/activate/", {"code": "000000"})
    assert "Code incorrect." in wrong.content.decode()
    assert not Authenticator.objects.filter(user=new_staff).exists()

    response = client.post("/comptes/2fa/totp/activate/", {"code": totp_code(secret)}, follow=True)

    # Recovery codes come with it, shown once enrolled, with the way on to the admin.
    page = response.content.decode()
    assert "Codes de secours" in page
    assert "aller à l'administration du site" in page
    codes = RecoveryCodes(
        Authenticator.objects.get(user=new_staff, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert len(codes) == 10 and all(code in page for code in codes)
    assert client.get("/admin/").status_code == 200


def test_signing_in_asks_staff_for_a_code_before_the_admin(staff_user):
    client = Client()
    response = client.post("/comptes/login/", {"login": staff_user.email, "password": PASSWORD})
    assert response["Location"] == STAGE
    # Password alone signs nobody in.
    assert client.get("/admin/")["Location"].startswith("/comptes/login/")
    page = client.get(STAGE).content.decode()
    assert "Saisissez le code à six chiffres" in page

    wrong = client.post(STAGE, {"code": "123456" if totp_code() != "123456" else "654321"})
    assert "Code incorrect." in wrong.content.decode()

    code = totp_code()
    assert client.post(STAGE, {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200

    # The same code cannot sign in a second time (someone who saw it over a shoulder).
    other = Client()
    log_in(other, staff_user)
    assert "Code incorrect." in other.post(STAGE, {"code": code}).content.decode()
    assert other.get("/admin/").status_code == 302


def test_a_recovery_code_signs_in_once(staff_user):
    codes = RecoveryCodes.activate(staff_user).get_unused_codes()

    first = Client()
    log_in(first, staff_user)
    assert first.post(STAGE, {"code": codes[0]}).status_code == 302
    assert first.get("/admin/").status_code == 200

    again = Client()
    log_in(again, staff_user)
    assert "Code incorrect." in again.post(STAGE, {"code": codes[0]}).content.decode()
    assert again.post(STAGE, {"code": codes[1]}).status_code == 302


def test_staff_cannot_switch_the_authenticator_app_off(staff_user):
    client = Client()
    log_in(client, staff_user)
    client.post(STAGE, {"code": totp_code()})

    confirm_password(client, "/comptes/2fa/totp/deactivate/")
    response = client.post("/comptes/2fa/totp/deactivate/")

    assert "ne peuvent pas désactiver la double authentification" in response.content.decode()
    assert Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).exists()


def test_members_may_enrol_from_their_space_and_are_not_forced_to(elected_user):
    client = Client()
    log_in(client, elected_user)
    assert 'href="/comptes/2fa/"' in client.get("/espace/").content.decode()
    page = client.get("/comptes/2fa/").content.decode()
    assert "Authentification à deux facteurs" in page
    assert client.get("/espace/membres/").status_code == 200

    secret = activation_secret(
        confirm_password(client, "/comptes/2fa/totp/activate/").content.decode()
    )
    client.post("/comptes/2fa/totp/activate/", {"code": totp_code(secret)})

    # From now on their sign-in asks for a code too.
    again = Client()
    log_in(again, elected_user)
    assert again.get("/espace/").status_code == 302
    assert again.post(STAGE, {"code": totp_code(secret)}).status_code == 302
    assert again.get("/espace/").status_code == 200


def test_the_enrolment_page_is_for_signed_in_accounts(client):
    assert client.get(ENROL)["Location"].startswith("/comptes/login/")
    assert client.get("/comptes/2fa/")["Location"].startswith("/comptes/login/")
