"""`manage.py impact_report --year 2025 [--format json|csv]`: the year's impact figures."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from events.impact import impact_csv, parse_year, year_impact
from events.services import EventsError

FORMATS = ("json", "csv")


class Command(BaseCommand):
    help = (
        "Chiffres d'impact d'une année (animations réalisées, participants, cafés, communes, "
        "départements, tournées, remboursements), en JSON ou en CSV."
    )

    def add_arguments(self, parser) -> None:
        # Checked in handle() rather than by argparse, so mistakes are explained in French.
        parser.add_argument("--year", help="Année du rapport, par exemple 2025.")
        parser.add_argument("--format", default="json", help="json (par défaut) ou csv.")

    def handle(self, *args, year: str | None, format: str, **options) -> None:
        if year is None:
            raise CommandError("Indiquez l'année du rapport : --year 2025 par exemple.")
        if format not in FORMATS:
            raise CommandError(f"Format inconnu : « {format} ». Formats possibles : json, csv.")
        try:
            impact = year_impact(parse_year(year))
        except EventsError as error:
            raise CommandError(str(error)) from error
        if format == "json":
            self.stdout.write(json.dumps(impact.as_report(), ensure_ascii=False, indent=2))
        else:
            # The byte order mark is for spreadsheets opening a downloaded file, not a pipe.
            self.stdout.write(impact_csv(impact).removeprefix("\ufeff"), ending="")
