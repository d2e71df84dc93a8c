from django.db import migrations

# A copy of toolkit.models.THEMES at the time of writing: migrations must not import models.
THEMES = [
    ("commerce-local", "Commerce local"),
    ("participation-citoyenne", "Participation citoyenne"),
    ("lien-social", "Lien social"),
    ("gestion-du-cafe", "Gestion du café"),
    ("animations", "Animations"),
    ("financements", "Financements"),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("toolkit", "Theme")
    for order, (slug, name) in enumerate(THEMES):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("toolkit", "0001_initial")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
