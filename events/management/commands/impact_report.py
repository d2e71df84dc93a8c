"""`manage.py impact_report --year 2025 [--format json|csv]`: the year's impact figures."""

from __future__ import annotations

from community.yearly import YearReportCommand
from events.impact import YearImpact, impact_csv, parse_year, year_impact
from events.services import EventsError


class Command(YearReportCommand):
    help = (
        "Chiffres d'impact d'une année (animations réalisées, participants, cafés, communes, "
        "départements, tournées, remboursements), en JSON ou en CSV."
    )
    refused = EventsError

    def figures(self, year: str) -> YearImpact:
        return year_impact(parse_year(year))

    def as_json(self, figures: YearImpact) -> dict:
        return figures.as_report()

    def as_csv(self, figures: YearImpact) -> str:
        # The byte order mark is for spreadsheets opening a downloaded file, not a pipe.
        return impact_csv(figures).removeprefix("\ufeff")
