from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Revision

from community.accounts.models import MembershipDecision, Role, User
from community.home.models import HomePage, StandardPage
from community.places.models import Cafe, Commune, Department, Region
from tests.factories import TOTP_SECRET

from .html import parse

pytestmark = pytest.mark.django_db

PASSWORD = "cafe-demo-2025"
MODELS = [
    Region,
    Department,
    Commune,
    Cafe,
    User,
    EmailAddress,
    MembershipDecision,
    Page,
    Revision,
    Group,
]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS} | {
        "managers": Cafe.managers.through.objects.count(),
        "memberships": User.groups.through.objects.count(),
    }


@pytest.fixture
def seeded(db) -> str:
    return seed()


def test_seed_demo_twice_creates_no_duplicates(seeded):
    first = counts()
    output = seed()
    assert counts() == first
    assert "Données de démonstration prêtes." in output


def test_seeded_places_are_real_looking_and_rural(seeded):
    assert Commune.objects.count() >= 30
    assert Region.objects.filter(departments__communes__isnull=False).distinct().count() >= 5
    assert not Commune.objects.filter(population__gte=3500).exists()
    assert Commune.objects.filter(insee_code="2A212", name="Piana").exists()
    assert Commune.objects.get(insee_code="81046").department.region.name == "Occitanie"
    described = Cafe.objects.filter(needs_review=False)
    assert described.count() >= 20
    assert not described.filter(latitude__isnull=True).exists()
    assert not described.filter(legal_form="").exists()
    assert described.values("stage").distinct().count() == 4
    # The cafés the journey's projects opened wait for staff to place them on the map.
    assert Cafe.objects.filter(needs_review=True).count() >= 30
    assert not Cafe.objects.filter(needs_review=True, project__isnull=True).exists()


EXPECTED_ACCOUNTS = {
    "maire@example.org": (Role.ELECTED, "approved", {"Membres", "Élus"}),
    "adjointe@example.org": (Role.ELECTED, "approved", {"Membres", "Élus"}),
    "gerant@example.org": (Role.MANAGER, "approved", {"Membres", "Gérants"}),
    "gerante@example.org": (Role.MANAGER, "approved", {"Membres", "Gérants"}),
    "equipe@example.org": (Role.STAFF, "approved", {"Membres", "Équipe"}),
    "partenaire@example.org": (Role.PARTNER, "approved", {"Membres", "Partenaires"}),
    "candidat@example.org": (Role.ELECTED, "pending", set()),
}


@pytest.mark.parametrize("email", EXPECTED_ACCOUNTS)
def test_demo_accounts_sign_in_with_the_right_role(seeded, email):
    role, status, groups = EXPECTED_ACCOUNTS[email]
    user = authenticate(None, email=email, password=PASSWORD)
    assert user is not None, email
    assert user.role == role
    assert user.membership_status == status
    assert set(user.groups.values_list("name", flat=True)) == groups
    assert not user.is_superuser
    assert user.display_name
    assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()


def test_demo_accounts_have_their_places(seeded):
    maire = User.objects.get(email="maire@example.org")
    adjointe = User.objects.get(email="adjointe@example.org")
    assert maire.commune and adjointe.commune and maire.commune != adjointe.commune
    gerant = User.objects.get(email="gerant@example.org")
    gerante = User.objects.get(email="gerante@example.org")
    assert gerant.managed_cafes.count() == 1
    assert gerante.managed_cafes.count() == 1
    assert gerant.managed_cafes.get() != gerante.managed_cafes.get()
    assert gerant.commune == gerant.managed_cafes.get().commune
    assert User.objects.get(email="partenaire@example.org").organisation


def test_staff_demo_account_enrols_an_authenticator_app_then_reaches_the_wagtail_admin(
    seeded, client
):
    staff = User.objects.get(email="equipe@example.org")
    assert staff.has_perm("wagtailadmin.access_admin")
    client.force_login(staff)
    # No authenticator app in the demo: the first visit of the admin asks for one.
    assert client.get("/admin/")["Location"] == "/espace/double-authentification/"
    TOTP.activate(staff, TOTP_SECRET)
    assert client.get("/admin/").status_code == 200


def test_membership_decisions_are_taken_by_staff(seeded):
    staff = User.objects.get(email="equipe@example.org")
    decisions = MembershipDecision.objects.all()
    assert decisions.exists()
    assert set(decisions.values_list("decided_by", flat=True)) == {staff.pk}
    assert not decisions.filter(member__email="candidat@example.org").exists()


def test_seeded_pages_are_published_with_revisions(seeded, client):
    home = HomePage.objects.get()
    pages = {page.slug: page for page in StandardPage.objects.child_of(home)}
    assert set(pages) == {"le-reseau", "adherer", "mentions-legales", "accessibilite"}
    for page in [home, *pages.values()]:
        assert page.live
        assert page.live_revision is not None
        assert client.get(page.url).status_code == 200
    assert pages["le-reseau"].show_in_menus and pages["adherer"].show_in_menus
    assert pages["mentions-legales"].show_in_footer and pages["accessibilite"].show_in_footer


def test_seeded_home_page_shows_report_figures_and_navigation(seeded, client, monkeypatch):
    # The home page shows the last complete year; the demo's history is the 2025 report's.
    monkeypatch.setattr("community.home.blocks.last_complete_year", lambda: 2025)
    document = parse(client.get("/").content)
    main = document.find("main")
    section = main.find("section", **{"aria-labelledby": "chiffres-accompagnement-2025"})
    assert [li.text for li in section.find_all("li")] == [
        "195 communes candidates, +30 % par rapport à 2024",
        "21 études de préfiguration",
        "38 recrutements de gérant·es",
        "24 accompagnements à l'ouverture",
        "20 cafés suivis en exploitation",
        "100 prestations de l'équipe dans 70 villages",
    ]
    ctas = [aside.find("a") for aside in main.find_all("aside", **{"class": "cta"})]
    assert [(a.text.strip(), a.attrs["href"]) for a in ctas] == [
        ("Candidater pour ma commune", "/candidater/"),
        ("Adhérer au réseau", "/adherer/"),
    ]
    nav = document.find("nav", **{"aria-label": "Navigation principale"})
    # Feature apps seed their own index pages after these (toolkits, webinars…).
    assert [a.text for a in nav.find_all("a")][:2] == ["Le réseau", "Adhérer au réseau"]
    footer = document.find("footer")
    assert {a.text for a in footer.find_all("a")} == {
        "Mentions légales",
        "Déclaration d'accessibilité",
    }


def test_accessibility_statement_follows_the_rgaa_model(seeded, client):
    text = parse(client.get("/accessibilite/").content).find("main").text
    for expected in (
        "partiellement conforme",
        "État de conformité",
        "Contenus non accessibles",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
    ):
        assert expected in text
