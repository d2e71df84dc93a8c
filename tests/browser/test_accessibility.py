"""axe-core finds no serious or critical accessibility violation on the entry pages."""

from __future__ import annotations

import pytest

from community.accounts.models import MembershipStatus, Role
from tests.factories import make_member

from .axe import assert_accessible
from .helpers import BROWSER_TEST, log_in, path_of

pytestmark = BROWSER_TEST


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "Réseau 1000 cafés"),
        ("/comptes/login/", "Se connecter"),
        ("/comptes/signup/", "Adhérer au réseau"),
    ],
    ids=["home", "login", "signup"],
)
def test_public_page_is_accessible(page, url, heading):
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status}"
    assert page.locator("html").get_attribute("lang", timeout=1000) == "fr"
    assert heading in page.locator("h1").first.inner_text()
    assert_accessible(page, url)


def test_pending_page_is_accessible(page):
    applicant = make_member(
        Role.ELECTED, status=MembershipStatus.PENDING, display_name="Camille Candidate"
    )
    log_in(page, applicant.email)
    assert path_of(page) == "/adhesion/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page, "/adhesion/ (pending member)")
