"""A funder signs in, reads what its fund pays for and downloads the CSV; axe and
sideways-scroll audits of its page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from community.accounts.models import Role
from events.models import Booking
from events.services import (
    approve_reimbursement,
    claim_reimbursement,
    confirm_booking,
    report_booking,
    request_booking,
)
from tests.events.conftest import at, funder, kind, make_fund
from tests.events.files import invoice_pdf
from tests.factories import make_cafe, make_commune, make_member

from .axe import assert_accessible
from .helpers import BROWSER_TEST, assert_fits, log_in

pytestmark = BROWSER_TEST


def test_a_funder_downloads_its_csv(new_page, media_roots):
    chess = kind("chess-workshop")
    klesia = funder("KLESIA")
    funder_account = make_member(
        Role.PARTNER, display_name="Claire Dumas, KLESIA", organisation="KLESIA"
    )
    klesia.accounts.add(funder_account)
    fund = make_fund("Fonds Bien vieillir", klesia, "25000.00", chess)
    cafe = make_cafe(
        name="Le Café de Tiranges", commune=make_commune(name="Tiranges", department_code="43")
    )
    manager = make_member(Role.MANAGER, cafe=cafe)
    staff = make_member(Role.STAFF)
    booking = request_booking(by=manager, cafe=cafe, kind=chess, preferred_dates=[at(20)])
    booking = confirm_booking(booking, by=staff, starts_at=at(20), provider=None)
    Booking.objects.filter(pk=booking.pk).update(starts_at=at(-2), ends_at=at(-2, 20))
    booking.refresh_from_db()
    report_booking(booking, by=manager, participants=14)
    claim = claim_reimbursement(
        booking,
        by=manager,
        fund=fund,
        amount=Decimal("250.00"),
        invoice=invoice_pdf(),
    )
    approve_reimbursement(claim, by=staff, amount=Decimal("250.00"))

    page = new_page()
    log_in(page, funder_account.email)
    page.goto("/animations/")
    page.get_by_role("link", name="Nos fonds").click()
    main = page.locator("main").inner_text()
    assert "Les fonds de KLESIA" in main and "Le Café de Tiranges" in main
    assert "24\u202f750,00\u00a0€" in main  # what is left of the 25 000 €
    assert_accessible(page, "the funder's page")
    assert_fits(page, "the funder's page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ces chiffres (CSV)").click()
    assert download.value.suggested_filename == "fonds-partenaires.csv"
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][0] == "Rubrique"
    sections = {row[0]: row for row in rows[1:]}
    assert sections["Fonds"][8:12] == ["25000,00", "250,00", "250,00", "24750,00"]
    assert sections["Animation"][4:8] == ["Tiranges", "Occitanie", "1", "14"]
    assert sections["Région"][1] == "Occitanie"
