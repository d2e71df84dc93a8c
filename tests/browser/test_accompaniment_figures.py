"""Staff read the journey's funnel for a year and a region; the page passes axe (no violation
of any impact) and never scrolls sideways, down to 320 px."""

from __future__ import annotations

import datetime

from community.accounts.models import Role
from community.places.models import Stage
from tests.accompaniment.factories import make_application, make_project
from tests.factories import make_member

from .helpers import BROWSER_TEST, audit, log_in

pytestmark = BROWSER_TEST


def test_staff_read_the_funnel_of_a_year(new_page):
    last_year = datetime.date.today().year - 1
    for month in (2, 3, 4):
        make_application(received_on=datetime.date(last_year, month, 1))
    make_project(stage=Stage.PREFIGURATION, entered_on=datetime.date(last_year, 6, 1))
    staff = make_member(Role.STAFF, display_name="Camille Roux")

    page = new_page()
    log_in(page, staff.email)
    page.goto("/espace/")
    with page.expect_navigation():
        page.get_by_role("link", name="Chiffres de l'accompagnement des communes").click()
    assert page.locator("h1").inner_text() == f"Chiffres de l'accompagnement {last_year}"
    row = page.locator("tr", has=page.get_by_role("rowheader", name="communes candidates"))
    assert row.locator(".funnel-value").inner_text() == "3"

    page.get_by_label("Région", exact=True).select_option("Occitanie")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    assert "Occitanie" in page.locator("h1").inner_text()
    audit(page, "the funnel for Occitanie")
