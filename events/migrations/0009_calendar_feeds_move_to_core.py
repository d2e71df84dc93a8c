"""Cafés' and providers' feeds move to the one calendar model (community.calendars) with
their secret tokens, so every address already subscribed to keeps answering."""

from django.db import migrations

# The source names events.calendars registers, frozen here as they were when moved.
SOURCES = (("cafe", "cafe_id"), ("provider", "provider_id"))


def forwards(apps, schema_editor):
    old = apps.get_model("events", "CalendarFeed")
    new = apps.get_model("calendars", "CalendarFeed")
    new.objects.bulk_create(
        new(source=source, owner_pk=getattr(feed, field), token=feed.token)
        for feed in old.objects.order_by("pk")
        for source, field in SOURCES
        if getattr(feed, field) is not None
    )


def backwards(apps, schema_editor):
    old = apps.get_model("events", "CalendarFeed")
    new = apps.get_model("calendars", "CalendarFeed")
    for source, field in SOURCES:
        for feed in new.objects.filter(source=source):
            old.objects.create(**{field: feed.owner_pk}, token=feed.token)
        new.objects.filter(source=source).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_fund_funder_replaces_partner"),
        ("calendars", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="CalendarFeed"),
    ]
