"""Members' private webinar feeds move to the one calendar model (community.calendars) with
their secret tokens, so every address already subscribed to keeps answering."""

from django.db import migrations

# The source name webinars.calendars registers, frozen here as it was when moved.
SOURCE = "webinars"


def forwards(apps, schema_editor):
    old = apps.get_model("webinars", "CalendarFeed")
    new = apps.get_model("calendars", "CalendarFeed")
    new.objects.bulk_create(
        new(source=SOURCE, owner_pk=feed.member_id, token=feed.token, created_at=feed.created_at)
        for feed in old.objects.order_by("pk")
    )


def backwards(apps, schema_editor):
    old = apps.get_model("webinars", "CalendarFeed")
    new = apps.get_model("calendars", "CalendarFeed")
    for feed in new.objects.filter(source=SOURCE):
        old.objects.create(member_id=feed.owner_pk, token=feed.token, created_at=feed.created_at)
    new.objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webinars", "0001_initial"),
        ("calendars", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="CalendarFeed"),
    ]
