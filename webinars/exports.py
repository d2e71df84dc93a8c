"""The registrants of a webinar as a CSV file that French Excel opens as is."""

from __future__ import annotations

from datetime import datetime

from community.lib.formats import in_paris
from community.spreadsheet import excel_csv

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
STATUS_ORDER = {
    RegistrationStatus.CONFIRMED: 0,
    RegistrationStatus.WAITING: 1,
    RegistrationStatus.CANCELLED: 2,
}


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
    return excel_csv(
        HEADERS,
        (
            (
                registration.member.display_name,
                registration.member.email,
                registration.member.get_role_display(),
                registration.member.place_label,
                registration.get_status_display(),
                _moment(registration.queued_at),
                _moment(registration.confirmed_at),
                _attended(registration),
            )
            for registration in registrants(webinar)
        ),
    )
