"""A manager books a chess workshop, staff confirm it, the manager reports 12 participants,
the staff bookings list shows it held and the impact dashboard counts it; axe audits of the
pages on the way."""

from __future__ import annotations

from django.utils import timezone

from community.accounts.models import Role
from events.models import Booking, BookingState, Provider
from tests.events.conftest import at, kind
from tests.factories import make_cafe, make_commune, make_member

from .axe import assert_accessible
from .helpers import BROWSER_TEST, log_in, path_of

pytestmark = BROWSER_TEST


def test_book_confirm_report_and_see_it_counted(new_page):
    chess = kind("chess-workshop")
    provider = Provider.objects.create(name="Échiquier Occitan", type=Provider.Type.ASSOCIATION)
    chess.providers.add(provider)
    cafe = make_cafe(
        name="Le Café de Tiranges", commune=make_commune(name="Tiranges", department_code="43")
    )
    manager = make_member(Role.MANAGER, cafe=cafe, display_name="Lucas Bernard")
    staff = make_member(Role.STAFF, display_name="Camille Roux")

    # 1. The manager finds the workshop in the catalogue and asks for it.
    page = new_page()
    log_in(page, manager.email)
    page.goto("/animations/")
    assert_accessible(page, "catalogue")
    page.get_by_role("link", name="Atelier d'initiation aux échecs").click()
    page.get_by_role("link", name="Demander cette animation pour mon café").click()
    assert path_of(page).startswith("/animations/reservations/nouvelle/")
    assert_accessible(page, "booking form")
    page.get_by_label("Date et heure souhaitées").fill(at(20).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Public attendu (nombre de personnes)").fill("14")
    page.get_by_label("Précisions pour l'équipe").fill("La salle du fond, dix échiquiers.")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la demande").click()
    booking = Booking.objects.get()
    assert path_of(page) == f"/animations/reservations/{booking.pk}/"
    assert "Demandée" in page.locator("h1 + p").inner_text()

    # 2. Staff confirm the date the café asked for, with the provider.
    office = new_page()
    log_in(office, staff.email)
    office.goto(f"/animations/reservations/{booking.pk}/")
    office.locator("input[name='confirmer-starts_at']").first.check()
    office.select_option("select[name='confirmer-provider']", label="Échiquier Occitan")
    with office.expect_navigation():
        office.get_by_role("button", name="Confirmer cette date").click()
    booking.refresh_from_db()
    assert booking.state == BookingState.CONFIRMED and booking.provider == provider

    # 3. The workshop took place (moved to yesterday); the manager reports 12 participants.
    Booking.objects.filter(pk=booking.pk).update(starts_at=at(-1), ends_at=at(-1, 20))
    page.goto(f"/animations/reservations/{booking.pk}/")
    page.get_by_label("Nombre de participants").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le bilan").click()
    assert "Bilan enregistré" in page.locator("main").inner_text()

    # 4. The staff bookings list shows it held, with its 12 participants.
    office.goto("/animations/reservations/")
    office.get_by_label("État").select_option(label="Réalisée")
    with office.expect_navigation():
        office.get_by_role("button", name="Filtrer").click()
    row = office.locator("tbody tr", has_text="Le Café de Tiranges")
    assert "Réalisée" in row.inner_text() and "12" in row.inner_text()
    assert_accessible(office, "staff bookings")

    # 5. Staff pick the workshop's year on the impact dashboard: it is counted there.
    year = str(timezone.localtime(Booking.objects.get().starts_at).year)
    office.goto("/animations/impact/")
    office.get_by_label("Année", exact=True).select_option(year)
    with office.expect_navigation():
        office.get_by_role("button", name="Afficher").click()
    assert path_of(office) == f"/animations/impact/?annee={year}"
    summary = " ".join(office.get_by_role("region", name="L'année en bref").inner_text().split())
    assert "1 animation réalisée" in summary
    assert "12 participants" in summary
    chess_row = office.get_by_role("row", name=chess.name)
    assert chess_row.get_by_role("cell").all_inner_texts() == ["1", "12"]
    assert_accessible(office, "impact dashboard")
