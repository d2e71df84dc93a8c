"""How the events app writes dates, durations and amounts in French, in pages and e-mails."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format


def when(moment: datetime) -> str:
    """« samedi 13 juin 2026 à 18:00 », in the site's time zone."""
    return date_format(timezone.localtime(moment), "l j F Y à H:i")


def duration_fr(value: timedelta | None) -> str:
    """« 2 h », « 1 h 30 »."""
    if value is None:
        return ""
    hours, rest = divmod(int(value.total_seconds() // 60), 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def thousands(value: int) -> str:
    """« 12 345 »: narrow no-break spaces between thousands, as euros() writes amounts."""
    return f"{value:,}".replace(",", "\u202f")


def euros(value: Decimal | None) -> str:
    """« 25 000,00 € », with narrow no-break spaces between thousands as French typography has."""
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") + "\u00a0€"
