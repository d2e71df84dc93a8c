"""community.lib.formats as template filters, built into every template (settings TEMPLATES
"builtins"): {{ webinar.start|when }}, {{ total|thousands }}, {{ amount|euros }}.
Dates in words go through these filters, never through Django's `date` (« 1er », Paris time);
`date:'c'` for a machine-readable <time datetime> stays fine."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from . import formats

register = template.Library()
register.filter("duration_fr", formats.duration)
register.filter("euros", formats.euros)


@register.filter
def thousands(value: int | None) -> str:
    return "" if value is None else formats.number(value)


@register.filter
def when(moment: datetime | None) -> str:
    """« jeudi 4 décembre 2026 à 18 h 00 »."""
    return formats.french_datetime(moment) if moment else ""


@register.filter
def day_fr(moment: date | None) -> str:
    """« jeudi 4 décembre 2026 » (a date or a moment)."""
    return formats.french_date(moment) if moment else ""


@register.filter
def date_fr(value: date | None) -> str:
    """« 1er décembre 2026 » (a date or a moment)."""
    return formats.french_date(value, weekday=False) if value else ""


@register.filter
def day_month_fr(value: date | None) -> str:
    """« 1er décembre »."""
    return formats.day_month(value) if value else ""


@register.filter
def time_fr(moment: datetime | None) -> str:
    """« 18 h 00 »."""
    return formats.french_time(moment) if moment else ""


@register.filter
def iso(moment: datetime | None) -> str:
    """For <time datetime>: the Paris wall-clock time with its offset."""
    return formats.in_paris(moment).isoformat() if moment else ""
