"""Staff programme the Guinguette mobile for a village without a café or any member, confirm
it in one go, and a visitor finds the evening in the site search, which leads to the
agenda's entry with its programme; axe and sideways-scroll audits on the way."""

from __future__ import annotations

from community.accounts.models import Role
from events.models import GuinguetteState, GuinguetteVisit
from tests.events.conftest import grand_est_vehicle, summer
from tests.factories import make_commune, make_member

from .helpers import BROWSER_TEST, audit, log_in, path_of

pytestmark = BROWSER_TEST


def test_staff_programme_an_evening_that_visitors_find(new_page, settings):
    settings.MEILISEARCH_URL = ""  # the database search: no index shared with other tests
    courteron = make_commune(
        name="Courteron", department_code="10", postal_codes="10250", population=90
    )
    staff = make_member(Role.STAFF, display_name="Camille Roux")
    vehicle = grand_est_vehicle()
    day = summer(7, 4)

    # 1. Staff enter the evening the mayor asked for by telephone, and send a vehicle.
    office = new_page()
    log_in(office, staff.email)
    office.goto("/animations/guinguette/")
    office.get_by_role("link", name="Programmer une soirée pour une commune").click()
    audit(office, "the staff's form for a commune")
    office.locator("#id_commune").fill("Courteron (10250)")
    office.get_by_label("Date souhaitée").fill(day.isoformat())
    office.get_by_label("Lieu").fill("Place du lavoir")
    office.get_by_label("Programme de la soirée").fill("Bal guinguette à l'accordéon")
    office.get_by_label("Véhicule").select_option(label=vehicle.name)
    with office.expect_navigation():
        office.get_by_role("button", name="Enregistrer la date").click()
    visit = GuinguetteVisit.objects.get()
    assert (visit.commune, visit.state, visit.vehicle) == (
        courteron,
        GuinguetteState.CONFIRMED,
        vehicle,
    )
    assert path_of(office) == f"/animations/guinguette/{visit.pk}/"
    assert "Date confirmée" in office.locator("main").inner_text()

    # 2. A visitor searches from the header and lands on the agenda's entry.
    visitor = new_page()
    visitor.goto("/")
    visitor.get_by_label("Rechercher dans les ressources du réseau").fill("accordéon Courteron")
    with visitor.expect_navigation():
        visitor.get_by_role("button", name="Rechercher").first.click()
    result = visitor.get_by_role("link", name="Guinguette mobile à Courteron (10)")
    audit(visitor, "the search results")
    with visitor.expect_navigation():
        result.click()
    assert path_of(visitor) == f"/animations/agenda/#guinguette-{visit.pk}"
    entry = visitor.locator(f"#guinguette-{visit.pk}")
    assert "Bal guinguette à l'accordéon" in entry.inner_text()
    assert "Place du lavoir, Courteron" in entry.inner_text()
