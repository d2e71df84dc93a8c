from __future__ import annotations

from datetime import datetime

from django import template

from webinars import dates

register = template.Library()


@register.filter
def date_fr(moment: datetime | None) -> str:
    """{{ page.start|date_fr }} → « jeudi 4 décembre 2026 à 18 h 00 »."""
    return dates.french_datetime(moment) if moment else ""


@register.filter
def day_fr(moment: datetime | None) -> str:
    return dates.french_date(moment) if moment else ""


@register.filter
def time_fr(moment: datetime | None) -> str:
    return dates.french_time(moment) if moment else ""


@register.filter
def iso(moment: datetime | None) -> str:
    """For <time datetime>: the Paris wall-clock time with its offset."""
    return dates.in_paris(moment).isoformat() if moment else ""
