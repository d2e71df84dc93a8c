"""How the platform writes dates, times, durations, numbers and amounts in French, in pages,
e-mails, calendar files and commands: « jeudi 4 décembre 2026 à 18 h 00 », « 1er juin »,
« 1 h 30 », « 12 345 », « 25 000,00 € ». Templates have the same as filters
(format_filters.py); no page, e-mail or file writes a date in words any other way (Django's
`date:"j F"` would write « 1 juin » where French writes « 1er juin »).

Dates are spelled out here rather than through the locale, in Paris time whatever the
server's zone, so that e-mails, calendar files and pages read the same whatever translation
is active when they are rendered. Thousands are separated by a narrow no-break space, as
French typography has.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
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


def _day(value: date) -> date:
    """The calendar day: a moment's in Paris, a date as it is."""
    return in_paris(value).date() if isinstance(value, datetime) else value


def day_month(value: date) -> str:
    """« 4 décembre », « 1er juin »: the first of a month is « premier »."""
    day = _day(value)
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]}"


def french_date(value: date, *, weekday: bool = True) -> str:
    """« jeudi 4 décembre 2026 », « lundi 1er juin 2026 »; « 1er juin 2026 » without the
    weekday. A date or a moment (its day in Paris)."""
    day = _day(value)
    words = f"{day_month(day)} {day.year}"
    return f"{DAYS[day.weekday()]} {words}" if weekday else words


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
