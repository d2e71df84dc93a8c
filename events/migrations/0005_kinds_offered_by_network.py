"""The network's free offer reads « offert par le réseau », and no invented price remains.

The 2025 activity report says the network offers cafés chess workshops, Concerts de Poche and
first aid training for free (« une offre supplémentaire gratuite »); migration 0002 had given
them prices, and the Bien vieillir workshops too, that no catalogue of the network states.
A price staff set since (anything but 0002's figure) is kept on the kinds that are not free.
"""

from decimal import Decimal

from django.db import migrations, models

OFFERED = ["chess-workshop", "concert-de-poche", "first-aid-training"]
# The prices 0002 made up for kinds the cafés do pay for.
INVENTED = {"nutrition-workshop": Decimal("250.00"), "physical-activity": Decimal("150.00")}


def offer(apps, schema_editor):
    AnimationKind = apps.get_model("events", "AnimationKind")
    AnimationKind.objects.filter(slug__in=OFFERED).update(offered_by_network=True, price=None)
    for slug, price in INVENTED.items():
        AnimationKind.objects.filter(slug=slug, price=price).update(price=None)


class Migration(migrations.Migration):
    dependencies = [("events", "0004_private_uploads")]

    operations = [
        migrations.AddField(
            model_name="animationkind",
            name="offered_by_network",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "L'offre gratuite du réseau (ateliers d'échecs, Concerts de Poche, "
                    "formations aux premiers secours) : les cafés n'ont rien à payer, aucun "
                    "prix n'est affiché."
                ),
                verbose_name="offert par le réseau",
            ),
        ),
        migrations.RunPython(offer, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="animationkind",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("offered_by_network", False), ("price__isnull", True), _connector="OR"
                ),
                name="events_offered_kind_has_no_price",
            ),
        ),
    ]
