"""The three rooms that follow the forum areas exist everywhere, tests included."""

from __future__ import annotations

from django.db import migrations

from forum.chat.rooms import ensure_rooms


def create_rooms(apps, schema_editor):
    ensure_rooms(apps.get_model("chat", "Room"))


class Migration(migrations.Migration):
    dependencies = [("chat", "0001_initial")]

    operations = [migrations.RunPython(create_rooms, migrations.RunPython.noop)]
