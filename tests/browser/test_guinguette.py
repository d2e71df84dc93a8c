"""A mayor requests the Guinguette mobile from her member space, staff send a vehicle, and
the evening appears in the public agenda; axe and sideways-scroll audits on the way."""

from __future__ import annotations

from community.accounts.models import Role
from events.models import GuinguetteState, GuinguetteVisit
from tests.events.conftest import grand_est_vehicle, summer
from tests.factories import make_commune, make_member

from .helpers import BROWSER_TEST, audit, log_in, path_of

pytestmark = BROWSER_TEST


def test_a_mayor_requests_the_guinguette_and_staff_confirm(new_page):
    mussy = make_commune(
        name="Mussy-sur-Seine", department_code="10", postal_codes="10250", population=914
    )
    mayor = make_member(Role.ELECTED, display_name="Sophie Lambert", commune=mussy)
    staff = make_member(Role.STAFF, display_name="Camille Roux")
    vehicle = grand_est_vehicle()
    day = summer(7, 4)

    # 1. From her member space, the mayor asks for an evening on the village square.
    page = new_page()
    log_in(page, mayor.email)
    page.goto("/espace/")
    page.get_by_role("link", name="Demander la Guinguette mobile").click()
    assert path_of(page) == "/animations/guinguette/"
    audit(page, "the commune's Guinguette page")
    page.get_by_role("link", name="Demander la Guinguette pour Mussy-sur-Seine").click()
    audit(page, "the request form")
    page.get_by_label("Date souhaitée").fill(day.isoformat())
    page.get_by_label("Heure d'arrivée").fill("19:00")
    page.get_by_label("Lieu").fill("Place de la mairie")
    page.get_by_label("Public attendu (nombre de personnes)").fill("200")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la demande").click()
    visit = GuinguetteVisit.objects.get()
    assert path_of(page) == f"/animations/guinguette/{visit.pk}/"
    assert "Demandée" in page.locator("h1 + p").inner_text()
    audit(page, "the request's page")

    # 2. Staff find it among the requests to decide and send the Grand Est vehicle.
    office = new_page()
    log_in(office, staff.email)
    office.goto("/animations/guinguette/")
    audit(office, "the staff's Guinguette page")
    office.get_by_role("link", name="Mussy-sur-Seine").click()
    office.select_option("select[name='confirmer-vehicle']", label=vehicle.name)
    office.get_by_label("Message à la commune").fill("Arrivée de l'équipe vers 17 h.")
    with office.expect_navigation():
        office.get_by_role("button", name="Confirmer et envoyer un véhicule").click()
    assert "Date confirmée" in office.locator("main").inner_text()
    visit.refresh_from_db()
    assert (visit.state, visit.vehicle) == (GuinguetteState.CONFIRMED, vehicle)

    # 3. The mayor sees it confirmed, and anyone finds it in the public agenda.
    page.reload()
    assert "Confirmée" in page.locator("h1 + p").inner_text()
    assert vehicle.name in page.locator("main").inner_text()
    visitor = new_page()
    visitor.goto("/animations/agenda/")
    entry = visitor.locator(".agenda li", has_text="Mussy-sur-Seine")
    assert "Guinguette mobile" in entry.inner_text() and "Place de la mairie" in entry.inner_text()
    audit(visitor, "the public agenda")
