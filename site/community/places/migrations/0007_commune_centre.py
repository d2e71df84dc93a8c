import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("places", "0006_seed_proximity_services")]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="latitude",
            field=models.DecimalField(
                blank=True,
                decimal_places=5,
                max_digits=8,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(-90),
                    django.core.validators.MaxValueValidator(90),
                ],
                verbose_name="latitude du centre",
            ),
        ),
        migrations.AddField(
            model_name="commune",
            name="longitude",
            field=models.DecimalField(
                blank=True,
                decimal_places=5,
                max_digits=8,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(-180),
                    django.core.validators.MaxValueValidator(180),
                ],
                verbose_name="longitude du centre",
            ),
        ),
    ]
