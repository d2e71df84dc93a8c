"""The first list of services de proximité, which staff then keep in the admin."""

from django.db import migrations

SERVICES = [
    ("Dépôt de pain", "depot-de-pain"),
    ("Épicerie", "epicerie"),
    ("Produits locaux", "produits-locaux"),
    ("Relais colis", "relais-colis"),
    ("Point poste", "point-poste"),
    ("Presse", "presse"),
    ("Restauration", "restauration"),
    ("Wifi", "wifi"),
    ("Distributeur de billets", "distributeur-de-billets"),
    ("Point information tourisme", "point-information-tourisme"),
    ("Accès internet et aide numérique", "aide-numerique"),
    ("Bibliothèque et boîte à livres", "boite-a-livres"),
]


def seed(apps, schema_editor):
    ProximityService = apps.get_model("places", "ProximityService")
    for position, (name, slug) in enumerate(SERVICES):
        ProximityService.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("places", "0005_cafe_pages")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
