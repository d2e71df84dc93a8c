from django.db import migrations


class Migration(migrations.Migration):
    # The consent passes to the projects first (accompaniment.0003).
    dependencies = [
        ("places", "0007_commune_centre"),
        ("accompaniment", "0003_map_consent_held_by_projects"),
    ]

    operations = [migrations.RemoveField(model_name="cafe", name="show_in_progress")]
