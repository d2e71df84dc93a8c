"""allauth's pages render through the site's layout, in French, with accessible forms."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from community.accounts.models import Role

from ..factories import make_commune, make_member
from .html import parse, unlabelled_inputs

pytestmark = pytest.mark.django_db


def assert_site_layout(document) -> None:
    assert document.find("html").attrs["lang"] == "fr"
    assert document.find("a", **{"class": "skip-link"}).attrs["href"] == "#contenu"
    assert document.find("main", id="contenu") is not None
    assert document.find("header") is not None
    assert document.find("footer") is not None
    assert "page-account" in document.find("body").attrs["class"]


ANONYMOUS_PAGES = [
    ("account_login", "Se connecter"),
    ("account_signup", "Adhérer au réseau"),
    ("account_reset_password", "Réinitialisation du mot de passe"),
    ("account_reset_password_done", "Réinitialisation du mot de passe"),
    ("account_email_verification_sent", "Confirmez votre adresse e-mail"),
    ("account_inactive", "Compte inactif"),
]


@pytest.mark.parametrize(("url_name", "heading"), ANONYMOUS_PAGES)
def test_entrance_pages_use_the_site_layout(client, url_name, heading):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    document = parse(response.content)
    assert_site_layout(document)
    assert document.find("h1").text == heading
    assert unlabelled_inputs(document) == []


def test_bad_password_reset_key_is_explained(client):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "0", "key": "x-y"})
    response = client.get(url, follow=True)
    document = parse(response.content)
    assert_site_layout(document)
    assert document.find("h1").text == "Lien invalide ou expiré"


def test_password_reset_from_key_form_is_labelled(client, elected_user):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(elected_user)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(elected_user), "key": key},
    )
    response = client.get(url, follow=True)
    document = parse(response.content)
    assert_site_layout(document)
    assert document.find("h1").text == "Choisissez un nouveau mot de passe"
    assert document.find("input", name="password1") is not None
    assert unlabelled_inputs(document) == []


def test_confirm_email_page_uses_the_layout(client):
    member = make_member(Role.ELECTED, verified=False)
    address = EmailAddress.objects.get(user=member)
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(address).key
    response = client.get(reverse("account_confirm_email", args=[key]))
    assert response.status_code == 200
    document = parse(response.content)
    assert_site_layout(document)
    assert document.find("h1").text == "Confirmer l'adresse e-mail"
    assert document.find("main").find("form").attrs["method"] == "post"


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [
        ("account_email", "Adresses e-mail"),
        ("account_change_password", "Modifier le mot de passe"),
        ("account_logout", "Se déconnecter"),
    ],
)
def test_manage_pages_use_the_site_layout(client_for, url_name, heading):
    response = client_for("elected").get(reverse(url_name))
    assert response.status_code == 200
    document = parse(response.content)
    assert_site_layout(document)
    assert document.find("h1").text == heading
    assert document.find("nav", **{"aria-label": "Mon compte"}) is not None
    assert unlabelled_inputs(document) == []


def test_login_form_is_labelled(client):
    document = parse(client.get(reverse("account_login")).content)
    form = document.find("form", **{"class": "form"})
    assert form.find("input", name="login") is not None
    assert form.find("input", name="password") is not None
    labels = {label.attrs["for"]: label.text for label in form.find_all("label")}
    assert labels["id_login"].startswith("E-mail")
    assert labels["id_password"].startswith("Mot de passe")
    assert unlabelled_inputs(document) == []


def test_failed_login_announces_errors(client, elected_user):
    response = client.post(
        reverse("account_login"), {"login": elected_user.email, "password": "faux"}
    )
    assert response.status_code == 200
    document = parse(response.content)
    summary = document.find("div", **{"class": "form-errors"})
    assert summary.attrs["role"] == "alert"
    assert "⚠" in summary.text


def test_signup_form_is_labelled_and_grouped(client):
    response = client.get(reverse("account_signup"))
    document = parse(response.content)
    assert_site_layout(document)
    assert unlabelled_inputs(document) == []
    form = document.find("form", **{"data-signup-form": ""})
    for name in (
        "display_name",
        "email",
        "password1",
        "password2",
        "commune",
        "cafe",
        "organisation",
        "application_note",
    ):
        assert form.find("input", name=name) or form.find("textarea", name=name), name
    # The role radios form a group named by its legend.
    fieldset = form.find("fieldset")
    assert fieldset.find("legend").text.startswith("Vous êtes")
    radios = fieldset.find_all("input", type="radio")
    assert {radio.attrs["value"] for radio in radios} == {"elected", "manager", "partner"}
    # Help text is tied to its input.
    display_name = form.find("input", name="display_name")
    assert display_name.attrs["aria-describedby"] == "id_display_name_helptext"
    assert document.find("div", id="id_display_name_helptext") is not None
    # Role-dependent fields are marked for the script, and visible without it.
    cafe = document.find("div", id="champ-cafe")
    assert cafe.attrs["data-show-for"] == "manager"
    assert "hidden" not in cafe.attrs
    assert document.find("div", id="champ-organisation").attrs["data-show-for"] == "partner"


def test_signup_includes_the_form_media(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "js/autocomplete.js" in html


def test_invalid_signup_links_errors_to_fields(client):
    make_commune(name="Cadalen", postal_codes="81600")
    response = client.post(
        reverse("account_signup"),
        {"display_name": "", "email": "pas-une-adresse", "role": "partner"},
    )
    assert response.status_code == 200
    document = parse(response.content)
    summary = document.find("div", **{"class": "form-errors"})
    assert summary.attrs["role"] == "alert"
    hrefs = {a.attrs["href"] for a in summary.find_all("a")}
    assert "#id_display_name" in hrefs
    assert "#id_organisation" in hrefs
    email = document.find("input", name="email")
    assert email.attrs["aria-invalid"] == "true"
    assert "id_email_error" in email.attrs["aria-describedby"].split()
    error = document.find("div", id="id_email_error")
    assert error.text.startswith("⚠ Erreur :")
    # The partner's choice is kept.
    checked = [r for r in document.find_all("input", type="radio") if "checked" in r.attrs]
    assert [r.attrs["value"] for r in checked] == ["partner"]
