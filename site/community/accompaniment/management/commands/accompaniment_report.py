"""`manage.py accompaniment_report --year 2025 [--format json|csv]`: the journey's figures."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from community.accompaniment.report import accompaniment_report, parse_year, report_csv
from community.accompaniment.services import AccompanimentError

FORMATS = ("json", "csv")


class Command(BaseCommand):
    help = (
        "Chiffres de l'accompagnement des communes d'une année (candidatures, étapes "
        "franchies, cafés en exploitation, prestations), en JSON ou en CSV."
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
            report = accompaniment_report(parse_year(year))
        except AccompanimentError as error:
            raise CommandError(str(error)) from error
        if format == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(report_csv(report), ending="")
