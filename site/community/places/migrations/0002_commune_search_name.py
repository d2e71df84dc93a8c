import community.places.models
from django.db import migrations, models

from community.places.normalize import search_key


def fill_search_names(apps, schema_editor):
    Commune = apps.get_model("places", "Commune")
    communes = list(Commune.objects.only("pk", "name"))
    for commune in communes:
        commune.search_name = search_key(commune.name)
    Commune.objects.bulk_update(communes, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="search_name",
            field=community.places.models.SearchKeyField(
                db_index=True,
                default="",
                editable=False,
                max_length=200,
                source="name",
                verbose_name="nom normalisé",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commune",
            name="postal_codes",
            field=models.CharField(
                blank=True,
                max_length=200,
                validators=[community.places.models.validate_postal_codes],
                verbose_name="codes postaux",
            ),
        ),
    ]
