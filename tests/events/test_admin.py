"""The Wagtail back office of the catalogue, providers, funds and tours: staff only."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from community.accounts.models import Role
from community.accounts.roles import ROLE_GROUPS, ensure_role_groups
from events.apps import EDITED_BY_STAFF
from events.models import Reimbursement
from events.services import approve_reimbursement

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/animations/catalogue/",
    "/admin/animations/catalogue/new/",
    "/admin/animations/photos/",
    "/admin/animations/prestataires/",
    "/admin/animations/indisponibilites/new/",
    "/admin/animations/fonds/",
    "/admin/animations/fonds/new/",
    "/admin/animations/tournees/new/",
    "/admin/animations/financeurs/",
    "/admin/animations/financeurs/new/",
    "/admin/animations/guinguette/vehicules/",
    "/admin/animations/guinguette/saisons/new/",
]


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["staff", "manager", "partner"])
def test_only_staff_reach_the_events_back_office(client_for, url, role):
    ensure_role_groups()
    response = client_for(role).get(url)
    assert response.status_code == (200 if role == "staff" else 302)


def test_staff_group_gets_the_events_permissions(staff_user):
    ensure_role_groups()
    codenames = set(
        Group.objects.get(name=ROLE_GROUPS[Role.STAFF]).permissions.values_list(
            "codename", flat=True
        )
    )
    assert {f"change_{model}" for model in EDITED_BY_STAFF} <= codenames


def test_staff_open_a_fund_in_the_admin(client_for, fund):
    ensure_role_groups()
    response = client_for("staff").get(f"/admin/animations/fonds/edit/{fund.pk}/")
    assert response.status_code == 200
    assert "Fonds Bien vieillir" in response.content.decode()


def test_the_funds_listing_shows_what_is_left(client_for, fund, held, manager_user, staff_user):
    """Budget 1 000 €, 400 € granted: the listing's « restant » column reads 600."""
    claim = Reimbursement.objects.create(
        booking=held, fund=fund, requested_amount=Decimal(400), claimed_by=manager_user
    )
    approve_reimbursement(claim, by=staff_user, amount=Decimal(400))
    ensure_role_groups()
    html = client_for("staff").get("/admin/animations/fonds/").content.decode()
    row = " ".join(re.sub(r"<[^>]+>", " ", html[html.index("Fonds Bien vieillir") :]).split())
    assert row.startswith("Fonds Bien vieillir Éditer Mutuelle partenaire")
    assert "1000,00 600,00 600,00" in row  # budget, remaining, cap per café
