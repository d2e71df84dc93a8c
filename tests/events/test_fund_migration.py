"""Migration 0008: a fund's free-text partner becomes its link to a Funder, and back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.models import Fund, Funder

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("events", "0007_guinguette_and_funders_data")]
AFTER = [("events", "0008_fund_funder_replaces_partner")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def old_apps():
    """The database as it was before 0008; every migration applied again afterwards."""
    try:
        yield migrate(BEFORE)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_partner_text_becomes_a_funder_link(old_apps):
    OldFunder = old_apps.get_model("events", "Funder")
    OldFund = old_apps.get_model("events", "Fund")
    klesia, _ = OldFunder.objects.get_or_create(name="KLESIA", defaults={"type": "insurer"})
    for name, partner in [
        ("Fonds Bien vieillir", "  klesia "),
        ("Fonds Culture", "Région Occitanie"),
        ("Fonds Lien social", "Mutuelle du Tarn"),
        ("Fonds Premiers secours", "Mutuelle  du Tarn"),
        ("Fonds Concerts", "Les Amis du Violon"),
    ]:
        OldFund.objects.create(name=name, partner=partner, year=2025, budget=Decimal(100))

    migrate(AFTER)

    funds = {f.name: f for f in Fund.objects.select_related("funder")}
    # An existing funder is found whatever the case and the spaces, and nothing to review.
    assert funds["Fonds Bien vieillir"].funder_id == klesia.pk
    assert not funds["Fonds Bien vieillir"].needs_review
    # A new name becomes one funder, typed from its name, its funds flagged for staff.
    assert funds["Fonds Lien social"].funder == funds["Fonds Premiers secours"].funder
    created = {
        f.name: f.type for f in Funder.objects.filter(funds__isnull=False).exclude(pk=klesia.pk)
    }
    assert created == {
        "Région Occitanie": Funder.Type.LOCAL_AUTHORITY,
        "Mutuelle du Tarn": Funder.Type.INSURER,
        "Les Amis du Violon": Funder.Type.COMPANY,
    }
    assert all(f.needs_review for name, f in funds.items() if name != "Fonds Bien vieillir")

    # Reversed, the funder's name is the partner text again.
    old_apps = migrate(BEFORE)
    partners = dict(old_apps.get_model("events", "Fund").objects.values_list("name", "partner"))
    assert partners["Fonds Bien vieillir"] == "KLESIA"
    assert partners["Fonds Culture"] == "Région Occitanie"
