"""`manage.py accompaniment_report --year 2025 [--format json|csv]`: the journey's figures."""

from __future__ import annotations

from community.accompaniment.report import accompaniment_report, parse_year, report_csv
from community.accompaniment.services import AccompanimentError
from community.yearly import YearReportCommand


class Command(YearReportCommand):
    help = (
        "Chiffres de l'accompagnement des communes d'une année (candidatures, étapes "
        "franchies, cafés en exploitation, prestations), en JSON ou en CSV."
    )
    refused = AccompanimentError

    def figures(self, year: str) -> dict:
        return accompaniment_report(parse_year(year))

    def as_json(self, figures: dict) -> dict:
        return figures

    def as_csv(self, figures: dict) -> str:
        return report_csv(figures)
