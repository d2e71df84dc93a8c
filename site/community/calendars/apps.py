from __future__ import annotations

from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "community.calendars"
    label = "calendars"
    verbose_name = "Calendriers"
    default_auto_field = "django.db.models.BigAutoField"
