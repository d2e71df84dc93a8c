"""A fund names its funder once, through the Funder link: the free-text partner goes.

Each fund without a funder is linked to the funder its partner text names (case and spaces
aside); a name no funder has yet becomes a new funder, its type read from the name, and its
funds are flagged « à vérifier » so that staff check the type. Reversing writes the funder's
name back into the text.
"""

from __future__ import annotations

import re

import django.db.models.deletion
from django.db import migrations, models

# First match wins; a name that matches none is taken for a company.
TYPE_BY_NAME = [
    (r"mutuelle|assur|klesia", "insurer"),
    (r"fondation|fonds de dotation", "foundation"),
    (
        r"r[ée]gion|d[ée]partement|commune|communaut[ée]|m[ée]tropole|mairie|conseil",
        "local_authority",
    ),
    (
        r"\banct\b|banque des territoires|agence|minist[èe]re|pr[ée]fecture|[ée]tat\b|caisse",
        "public_body",
    ),
]


def funder_type(name: str) -> str:
    lowered = name.lower()
    return next((t for pattern, t in TYPE_BY_NAME if re.search(pattern, lowered)), "company")


def link_funders(apps, schema_editor):
    Funder = apps.get_model("events", "Funder")
    Fund = apps.get_model("events", "Fund")
    funders = {" ".join(f.name.split()).lower(): f for f in Funder.objects.all()}
    created = set()
    for fund in Fund.objects.filter(funder__isnull=True):
        name = " ".join(fund.partner.split())
        if not name:
            Fund.objects.filter(pk=fund.pk).update(needs_review=True)
            continue
        funder = funders.get(name.lower())
        if funder is None:
            funder = funders[name.lower()] = Funder.objects.create(
                name=name, type=funder_type(name)
            )
            created.add(funder.pk)
        Fund.objects.filter(pk=fund.pk).update(
            funder=funder, needs_review=fund.needs_review or funder.pk in created
        )


def write_partner_back(apps, schema_editor):
    Fund = apps.get_model("events", "Fund")
    for fund in Fund.objects.select_related("funder"):
        fund.partner = fund.funder.name if fund.funder else ""
        fund.save(update_fields=["partner"])


class Migration(migrations.Migration):
    # The data step commits before the column goes: on PostgreSQL, altering a table whose
    # rows this transaction changed (their deferred foreign-key checks still pending) fails.
    atomic = False

    dependencies = [("events", "0007_guinguette_and_funders_data")]

    operations = [
        migrations.AlterField(
            model_name="fund",
            name="partner",
            field=models.CharField(blank=True, max_length=150, verbose_name="partenaire financeur"),
        ),
        migrations.RunPython(link_funders, write_partner_back, atomic=True),
        migrations.RemoveField(model_name="fund", name="partner"),
        migrations.AlterField(
            model_name="fund",
            name="funder",
            field=models.ForeignKey(
                help_text=(
                    "Son nom est affiché aux cafés ; ses comptes partenaires voient les "
                    "chiffres de ce fonds."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="funds",
                to="events.funder",
                verbose_name="financeur",
            ),
        ),
    ]
