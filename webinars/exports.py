"""The registrants of a webinar as a CSV file that French Excel opens as is."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from .dates import in_paris
from .models import Registration, RegistrationStatus, WebinarPage

HEADERS = [
    "Nom",
    "Adresse e-mail",
    "Rôle",
    "Commune, café ou structure",
    "Statut",
    "Inscrit·e le",
    "Place confirmée le",
    "Présent·e",
]
# A cell starting with one of these is a formula for spreadsheet apps: a member named
# "=HYPERLINK(…)" must stay text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
STATUS_ORDER = {
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.WAITING: 1,
    RegistrationStatus.CANCELLED: 2,
}


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _moment(value: datetime | None) -> str:
    return in_paris(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _attended(registration: Registration) -> str:
    return {True: "oui", False: "non", None: ""}[registration.attended]


def registrants(webinar: WebinarPage) -> list[Registration]:
    rows = (
        webinar.registrations.select_related("member__commune")
        .prefetch_related("member__managed_cafes__commune")
        .order_by("queued_at", "pk")
    )
    return sorted(rows, key=lambda registration: STATUS_ORDER[registration.status])


def registrants_csv(webinar: WebinarPage) -> str:
    """UTF-8 with a byte order mark (Excel reads UTF-8 only with it), semicolons (the
    separator French Excel expects)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for registration in registrants(webinar):
        member = registration.member
        writer.writerow(
            [
                safe_cell(cell)
                for cell in (
                    member.display_name,
                    member.email,
                    member.get_role_display(),
                    member.place_label,
                    registration.get_status_display(),
                    _moment(registration.queued_at),
                    _moment(registration.confirmed_at),
                    _attended(registration),
                )
            ]
        )
    return buffer.getvalue()
