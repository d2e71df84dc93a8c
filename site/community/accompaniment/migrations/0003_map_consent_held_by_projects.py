"""The commune's consent to show its project in progress on the map was held twice, by the
café (Cafe.show_in_progress) and by the project (Project.public). The project keeps it: a
project is on the map before any café exists. A café that showed its project passes the
consent to its project; places.0008 then drops the café's flag. A café flagged without any
project has no project to show: it leaves the map until it opens, as before its flag."""

from django.db import migrations, models


def consent_to_projects(apps, schema_editor):
    Project = apps.get_model("accompaniment", "Project")
    Project.objects.filter(cafe__show_in_progress=True).update(public=True)


def consent_to_cafes(apps, schema_editor):
    Cafe = apps.get_model("places", "Cafe")
    Cafe.objects.filter(project__public=True).update(show_in_progress=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accompaniment", "0002_default_checklists"),
        ("places", "0007_commune_centre"),
    ]

    operations = [
        migrations.AlterField(
            model_name="project",
            name="public",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "La commune accepte que son projet en cours figure sur la carte du réseau "
                    "avant l'ouverture du café."
                ),
                verbose_name="visible sur la carte du réseau",
            ),
        ),
        migrations.RunPython(consent_to_projects, consent_to_cafes),
    ]
