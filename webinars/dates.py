"""French wording of webinar dates, always in Paris time whatever the server's zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

# Spelled out here rather than through the locale so e-mails, calendar files and pages
# read the same whatever translation is active when they are rendered.
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
