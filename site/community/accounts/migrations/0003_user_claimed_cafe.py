import django.db.models.deletion
from django.db import migrations, models


def pending_managers_become_claims(apps, schema_editor):
    """Sign-ups used to join the managers of the café they named at once: turn that into a
    claim awaiting approval, so pending and refused accounts manage no café any more."""
    User = apps.get_model("accounts", "User")
    for user in (
        User.objects.exclude(membership_status="approved")
        .filter(managed_cafes__isnull=False)
        .distinct()
    ):
        cafes = list(user.managed_cafes.order_by("pk"))
        if user.membership_status == "pending":
            user.claimed_cafe = cafes[0]
            user.save(update_fields=["claimed_cafe"])
        user.managed_cafes.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("places", "0003_import_review_flags"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="claimed_cafe",
            field=models.ForeignKey(
                blank=True,
                help_text="Le café dont le demandeur se dit gérant : appliqué à la validation.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="claims",
                to="places.cafe",
                verbose_name="café revendiqué",
            ),
        ),
        migrations.RunPython(pending_managers_become_claims, migrations.RunPython.noop),
    ]
