"""The yearly figures' shared parts: the year as typed (command line, a figures page's
address), and the base of the `manage.py <something>_report --year Y [--format json|csv]`
commands: the arguments, checked in handle() so that mistakes are explained in French, and
the output."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from community.lib.refusals import DomainError

FORMATS = ("json", "csv")
FIRST_YEAR = 2000


def parse_year(value: str | int | None, *, last: int, refused: type[DomainError]) -> int:
    """The year from FIRST_YEAR to ``last``; anything else raises ``refused`` (the app's
    error) with a French message."""
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or not FIRST_YEAR <= int(text) <= last:
        raise refused(
            _(
                "Année invalide : « %(text)s ». Indiquez une année de %(first)s à %(last)s, "
                "par exemple 2025."
            )
            % {"text": text, "first": FIRST_YEAR, "last": last}
        )
    return int(text)


class YearReportCommand(BaseCommand):
    # The domain error a report raises for a year it refuses (its message is French).
    refused: type[Exception] = Exception

    def figures(self, year: str) -> object:
        """The year's figures, from the year as typed."""
        raise NotImplementedError

    def as_json(self, figures: object) -> dict:
        raise NotImplementedError

    def as_csv(self, figures: object) -> str:
        raise NotImplementedError

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", help="Année du rapport, par exemple 2025.")
        parser.add_argument("--format", default="json", help="json (par défaut) ou csv.")

    def handle(self, *args, year: str | None, format: str, **options) -> None:
        if year is None:
            raise CommandError("Indiquez l'année du rapport : --year 2025 par exemple.")
        if format not in FORMATS:
            raise CommandError(f"Format inconnu : « {format} ». Formats possibles : json, csv.")
        try:
            figures = self.figures(year)
        except self.refused as error:
            raise CommandError(str(error)) from error
        if format == "json":
            self.stdout.write(json.dumps(self.as_json(figures), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self.as_csv(figures), ending="")
