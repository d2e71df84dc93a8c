"""How the platform writes dates, times, durations, numbers and amounts in French, in pages,
e-mails, calendar files and commands: « jeudi 4 décembre 2026 à 18 h 00 », « 1 h 30 »,
« 12 345 », « 25 000,00 € ». Templates have the same as filters (format_filters.py).

Dates are spelled out here rather than through the locale, in Paris time whatever the
server's zone, so that e-mails, calendar files and pages read the same whatever translation
is active when they are rendered. Thousands are separated by a narrow no-break space, as
French typography has.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")
THOUSANDS = "\u202f"

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def in_paris(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


def french_time(moment: datetime) -> str:
    """« 18 h 00 »."""
    local = in_paris(moment)
    return f"{local.hour} h {local.minute:02d}"


def french_date(moment: datetime) -> str:
    """« jeudi 4 décembre 2026 », « lundi 1er juin 2026 »."""
    local = in_paris(moment)
    day = "1er" if local.day == 1 else str(local.day)
    return f"{DAYS[local.weekday()]} {day} {MONTHS[local.month - 1]} {local.year}"


def french_datetime(moment: datetime) -> str:
    """« jeudi 4 décembre 2026 à 18 h 00 »."""
    return f"{french_date(moment)} à {french_time(moment)}"


def duration(value: timedelta | None) -> str:
    """« 2 h », « 1 h 30 »."""
    if value is None:
        return ""
    hours, rest = divmod(int(value.total_seconds() // 60), 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def number(value: int | float | Decimal, decimals: int = 0) -> str:
    """« 12 345 », « 1 234,5 » (decimals=1)."""
    return f"{value:,.{decimals}f}".replace(",", THOUSANDS).replace(".", ",")


def euros(value: Decimal | None) -> str:
    """« 25 000,00 € »."""
    if value is None:
        return ""
    return number(value, 2) + "\u00a0€"
