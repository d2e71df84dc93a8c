"""A mayor applies for the commune, confirms the e-mail, staff accept, move the project to
préfiguration and log a visit, and the mayor follows it and answers in the discussion: in a
real browser, every page of the journey passing axe with no violation of any impact and
never scrolling sideways from 320 to 1440 px."""

from __future__ import annotations

import re

from django.core import mail

from community.accompaniment.models import Application, ChecklistTemplate, ProjectMessage
from community.accounts.models import Role
from community.places.models import Stage
from tests.factories import make_commune, make_member

from .helpers import BROWSER_TEST, audit, log_in, path_of

pytestmark = BROWSER_TEST

MAYOR_EMAIL = "mairie@lagrasse.fr"


def test_a_commune_applies_and_follows_its_project(new_page):
    lagrasse = make_commune(
        name="Lagrasse", department_code="11", postal_codes="11220", population=620
    )
    ChecklistTemplate.objects.create(stage=Stage.PREFIGURATION, label="Visite de terrain")
    staff = make_member(Role.STAFF, display_name="Camille Roux")
    # Already a member of the network: accepting the application opens the project to her.
    mayor = make_member(
        Role.ELECTED, email=MAYOR_EMAIL, display_name="Jeanne Maire", commune=lagrasse
    )

    # 1. The mayor applies from the home page, without an account.
    visitor = new_page()
    visitor.goto("/")
    assert visitor.get_by_role("link", name="Candidater pour ma commune").count() >= 1
    # The header's « Adhérer » offers the choice between applying and joining.
    visitor.goto("/nous-rejoindre/")
    audit(visitor, "the choice between applying and joining")
    with visitor.expect_navigation():
        visitor.get_by_role("link", name="Candidater pour ma commune").click()
    assert path_of(visitor) == "/candidater/"
    audit(visitor, "the application form")
    visitor.fill("input[name=commune]", "Lagrasse")
    visitor.keyboard.press("Escape")
    visitor.get_by_label("Le café est fermé depuis plus d'un an").check()
    visitor.get_by_label("Oui", exact=True).check()
    visitor.fill("textarea[name=description]", "Rouvrir le café de la place du marché.")
    visitor.fill("input[name=name]", "Jeanne Maire")
    visitor.get_by_label("Maire", exact=True).check()
    visitor.fill("input[name=email]", MAYOR_EMAIL)
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Envoyer la candidature").click()
    assert visitor.locator("h1").inner_text() == "Confirmez votre adresse e-mail"
    audit(visitor, "the page after applying")

    # 2. The link of the e-mail confirms the application.
    [message] = [m for m in mail.outbox if MAYOR_EMAIL in m.to]
    link = re.search(r"https?://\S+(/candidater/confirmer/\S+/)", message.body)[1]
    visitor.goto(link)
    audit(visitor, "the confirmation page")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Confirmer").click()
    assert visitor.locator("h1").inner_text() == "Candidature confirmée"
    audit(visitor, "the confirmed application")
    application = Application.objects.get()
    assert application.status == "received"

    # 3. Staff accept it in the admin.
    team = new_page()
    log_in(team, staff.email, next_url="/admin/candidatures/")
    if path_of(team) != "/admin/candidatures/":
        team.goto("/admin/candidatures/")
    with team.expect_navigation():
        team.get_by_role("link", name=re.compile("Lagrasse")).first.click()
    team.get_by_label("Acceptée").check()
    team.fill("textarea[name=reason]", "Bienvenue dans l'accompagnement !")
    with team.expect_navigation():
        team.get_by_role("button", name="Enregistrer la décision").click()
    assert "acceptée" in team.locator("body").inner_text()

    # 4. Staff move the project to préfiguration and log a visit.
    with team.expect_navigation():
        team.get_by_role("link", name="Ouvrir l'espace du projet").click()
    assert path_of(team) == "/projets/lagrasse/"
    audit(team, "the project space as staff")
    team.get_by_label("Nouvelle étape").select_option("prefiguration")
    team.fill("textarea[name=note]", "Étude lancée.")
    with team.expect_navigation():
        team.get_by_role("button", name="Enregistrer l'étape").click()
    team.get_by_label("Nature").select_option("visit")
    team.fill("input[name=date]", application.received_on.isoformat())
    team.fill("input[name=duration_hours]", "3")
    with team.expect_navigation():
        team.get_by_role("button", name="Ajouter au journal").click()
    assert "Prestation ajoutée au journal" in team.locator("body").inner_text()

    # 5. The mayor, a member of the commune, follows it and answers.
    mayor_page = new_page()
    log_in(mayor_page, MAYOR_EMAIL, next_url="/projets/lagrasse/")
    if path_of(mayor_page) != "/projets/lagrasse/":
        mayor_page.goto("/projets/lagrasse/")
    current = mayor_page.locator("[aria-current=step]").inner_text()
    assert "Étude de préfiguration" in current
    assert "Visite" in mayor_page.locator("#prestations").inner_text()
    assert "Visite de terrain" in mayor_page.locator("#taches").inner_text()
    audit(mayor_page, "the project space as the mayor")
    mayor_page.fill("textarea[name=body]", "Merci, nous préparons la réunion publique.")
    with mayor_page.expect_navigation():
        mayor_page.get_by_role("button", name="Envoyer le message").click()
    assert (
        "Merci, nous préparons la réunion publique."
        in mayor_page.locator("#discussion").inner_text()
    )
    assert ProjectMessage.objects.get().author == mayor
    assert any(staff.email in m.to for m in mail.outbox if "Jeanne Maire" in m.subject)
