"""Impact figures of a year, computed from the platform's records for the activity report.

Only held animations count: bookings in state HELD whose `starts_at` falls in the calendar
year in Paris time, and the Guinguette mobile's held evenings (`GuinguetteVisit`, by date),
counted under the catalogue's Guinguette kind and by vehicle (the report's « 64 dates en
Grand Est, 19 dans l'Aisne »). `year_impact` reads them in six grouped queries whatever the
number of bookings (the database counts and sums, Python only reshapes at most a few hundred
rows per commune); the staff dashboard, its CSV export and `manage.py impact_report` all
present its result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dates import MONTHS

from community import yearly
from community.spreadsheet import excel_csv, safe_cell

from .models import (
    GUINGUETTE_KIND,
    AnimationKind,
    Booking,
    BookingState,
    GuinguetteState,
    GuinguetteVisit,
    Reimbursement,
    TourStop,
)
from .services import EventsError

# The association reports by calendar year in France, whatever the server's time zone.
PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class KindFigures:
    slug: str
    name: str
    animations: int
    participants: int


@dataclass(frozen=True)
class MonthFigures:
    month: int
    animations: int
    participants: int

    @property
    def name(self) -> str:
        return str(MONTHS[self.month])


@dataclass(frozen=True)
class DepartmentFigures:
    code: str
    name: str
    animations: int
    participants: int
    cafes: int
    communes: int


@dataclass(frozen=True)
class TourFigures:
    name: str
    slug: str
    stops: int
    participants: int


@dataclass(frozen=True)
class FundFigures:
    label: str
    funder: str
    animations: int
    amount: Decimal


@dataclass(frozen=True)
class GuinguetteFigures:
    """One vehicle of the Guinguette mobile over the year."""

    name: str
    territory: str
    dates: int
    participants: int
    communes: int


@dataclass(frozen=True)
class YearImpact:
    year: int
    by_kind: list[KindFigures]
    by_month: list[MonthFigures]
    departments: list[DepartmentFigures]
    tours: list[TourFigures]
    funds: list[FundFigures]
    guinguettes: list[GuinguetteFigures]

    @property
    def animations(self) -> int:
        return sum(row.animations for row in self.by_kind)

    @property
    def participants(self) -> int:
        return sum(row.participants for row in self.by_kind)

    # A café lies in one commune and a commune in one department, so the distinct counts of
    # the departments add up to the year's distinct counts.
    @property
    def cafes(self) -> int:
        return sum(row.cafes for row in self.departments)

    @property
    def communes(self) -> int:
        return sum(row.communes for row in self.departments)

    @property
    def tour_stops(self) -> int:
        return sum(row.stops for row in self.tours)

    @property
    def tour_participants(self) -> int:
        return sum(row.participants for row in self.tours)

    @property
    def guinguette_dates(self) -> int:
        return sum(row.dates for row in self.guinguettes)

    @property
    def reimbursed(self) -> Decimal:
        return sum((row.amount for row in self.funds), Decimal("0.00"))

    def as_report(self) -> dict:
        """The figures in the shape `impact_report --format json` prints."""
        return {
            "year": self.year,
            "animations": {
                "total": self.animations,
                "by_kind": {row.slug: row.animations for row in self.by_kind},
            },
            "participants": {
                "total": self.participants,
                "by_kind": {row.slug: row.participants for row in self.by_kind},
            },
            "cafes": self.cafes,
            "communes": self.communes,
            "departments": len(self.departments),
            "tours": {
                "count": len(self.tours),
                "stops": self.tour_stops,
                "participants": self.tour_participants,
            },
            "guinguette": {
                "dates": self.guinguette_dates,
                "by_vehicle": {row.name: row.dates for row in self.guinguettes},
            },
            "reimbursed_eur": {
                "total": _amount(self.reimbursed),
                "by_fund": {row.label: _amount(row.amount) for row in self.funds},
            },
        }


def parse_year(value: str | int | None) -> int:
    """The year asked for on the command line or in the dashboard's address (up to next
    year)."""
    return yearly.parse_year(value, last=timezone.localdate().year + 1, refused=EventsError)


def held_in(year: int) -> QuerySet[Booking]:
    return Booking.objects.filter(
        state=BookingState.HELD,
        starts_at__gte=datetime(year, 1, 1, tzinfo=PARIS),
        starts_at__lt=datetime(year + 1, 1, 1, tzinfo=PARIS),
    ).order_by()


def report_years() -> list[int]:
    """Years from the first held animation to this year, newest first (the year selector)."""
    bookings = Booking.objects.filter(state=BookingState.HELD).aggregate(
        first=Min("starts_at"), last=Max("starts_at")
    )
    visits = GuinguetteVisit.objects.filter(state=GuinguetteState.HELD).aggregate(
        first=Min("date"), last=Max("date")
    )
    this_year = timezone.localdate().year
    years = [moment.astimezone(PARIS).year for moment in bookings.values() if moment]
    years += [day.year for day in visits.values() if day]
    if not years:
        return [this_year]
    return list(range(max(*years, this_year), min(years) - 1, -1))


def guinguettes_held_in(year: int) -> QuerySet[GuinguetteVisit]:
    return GuinguetteVisit.objects.filter(
        state=GuinguetteState.HELD, date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1)
    ).order_by()


@dataclass
class _Tally:
    """Animations and participants of a group, and the communes it reached."""

    animations: int = 0
    participants: int = 0
    cafes: int = 0
    communes: set[int] = field(default_factory=set)

    def add(self, animations: int, participants: int, commune: int, cafes: int = 0) -> None:
        self.animations += animations
        self.participants += participants
        self.cafes += cafes
        self.communes.add(commune)


def year_impact(year: int) -> YearImpact:
    by_kind, by_month = _kinds_and_months(year)
    visits = _guinguette_rows(year)
    by_kind, by_month = _add_guinguettes(by_kind, by_month, visits)
    return YearImpact(
        year=year,
        by_kind=by_kind,
        by_month=by_month,
        departments=_departments(year, visits),
        tours=_tours(year),
        funds=_funds(year),
        guinguettes=_guinguettes(visits),
    )


def _guinguette_rows(year: int) -> list[dict]:
    """Held Guinguette evenings by vehicle and commune, with a count per month: one query,
    a row per commune visited (a few hundred at most)."""
    monthly = {}
    for month in range(1, 13):
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        in_month = Q(date__gte=first, date__lt=following)
        monthly[f"animations_{month}"] = Count("pk", filter=in_month)
        monthly[f"participants_{month}"] = Sum("participants", filter=in_month)
    rows = (
        guinguettes_held_in(year)
        .values(
            "vehicle__name",
            "vehicle__territory",
            "commune_id",
            "commune__department__code",
            "commune__department__name",
        )
        .annotate(**monthly)
        .order_by("vehicle__name", "commune_id")
    )
    return [
        {
            **row,
            "months": [
                (row[f"animations_{m}"], row[f"participants_{m}"] or 0) for m in range(1, 13)
            ],
        }
        for row in rows
    ]


def _add_guinguettes(
    kinds: list[KindFigures], months: list[MonthFigures], visits: list[dict]
) -> tuple[list[KindFigures], list[MonthFigures]]:
    """The Guinguette's evenings counted under its catalogue kind and in their months."""
    totals = [0, 0]
    month_totals = [[0, 0] for _ in range(12)]
    for row in visits:
        for index, (animations, participants) in enumerate(row["months"]):
            month_totals[index][0] += animations
            month_totals[index][1] += participants
            totals[0] += animations
            totals[1] += participants
    kinds = [
        KindFigures(k.slug, k.name, k.animations + totals[0], k.participants + totals[1])
        if k.slug == GUINGUETTE_KIND
        else k
        for k in kinds
    ]
    months = [
        MonthFigures(m.month, m.animations + a, m.participants + p)
        for m, (a, p) in zip(months, month_totals, strict=True)
    ]
    return kinds, months


def _guinguettes(visits: list[dict]) -> list[GuinguetteFigures]:
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for row in visits:
        tallies[row["vehicle__name"], row["vehicle__territory"]].add(
            sum(a for a, _ in row["months"]), sum(p for _, p in row["months"]), row["commune_id"]
        )
    return [
        GuinguetteFigures(name, territory, t.animations, t.participants, len(t.communes))
        for (name, territory), t in sorted(tallies.items())
    ]


def _month_starts(year: int) -> list[datetime]:
    """Midnight in Paris on the first of each month, and on the next New Year's Day."""
    return [datetime(year + month // 12, month % 12 + 1, 1, tzinfo=PARIS) for month in range(13)]


def _kinds_and_months(year: int) -> tuple[list[KindFigures], list[MonthFigures]]:
    # One query grouped by kind with a pair of sums per month feeds both breakdowns. Months
    # are ranges of `starts_at` rather than a month extracted in Paris time, which SQLite
    # would compute row by row in Python (four times slower over 50,000 bookings).
    starts = _month_starts(year)
    monthly = {}
    for month in range(1, 13):
        in_month = Q(starts_at__gte=starts[month - 1], starts_at__lt=starts[month])
        monthly[f"animations_{month}"] = Count("pk", filter=in_month)
        monthly[f"participants_{month}"] = Sum("participants", filter=in_month)
    rows = held_in(year).values("kind_id").annotate(**monthly)
    by_kind: dict[int, tuple[int, int]] = {}
    by_month = {month: [0, 0] for month in range(1, 13)}
    for row in rows:
        pairs = [
            (row[f"animations_{month}"], row[f"participants_{month}"] or 0)
            for month in range(1, 13)
        ]
        by_kind[row["kind_id"]] = (sum(a for a, _ in pairs), sum(p for _, p in pairs))
        for month, (animations, participants) in enumerate(pairs, start=1):
            by_month[month][0] += animations
            by_month[month][1] += participants
    # Every catalogue kind is listed, with zeros when none was held.
    kinds = [
        KindFigures(kind.slug, kind.name, *by_kind.get(kind.pk, (0, 0)))
        for kind in AnimationKind.objects.only("slug", "name")
    ]
    months = [MonthFigures(month, *totals) for month, totals in by_month.items()]
    return kinds, months


def _departments(year: int, visits: list[dict]) -> list[DepartmentFigures]:
    # Grouped by commune, so that a commune reached both by a café's animations and by the
    # Guinguette counts once in its department.
    rows = (
        held_in(year)
        .values(
            "cafe__commune_id",
            "cafe__commune__department__code",
            "cafe__commune__department__name",
        )
        .annotate(
            animations=Count("pk"),
            participants=Sum("participants"),
            cafes=Count("cafe", distinct=True),
        )
        .order_by()
    )
    tallies: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    for row in rows:
        key = (row["cafe__commune__department__code"], row["cafe__commune__department__name"])
        tallies[key].add(
            row["animations"], row["participants"] or 0, row["cafe__commune_id"], row["cafes"]
        )
    for row in visits:
        key = (row["commune__department__code"], row["commune__department__name"])
        tallies[key].add(
            sum(a for a, _ in row["months"]), sum(p for _, p in row["months"]), row["commune_id"]
        )
    return [
        DepartmentFigures(
            code=code,
            name=name,
            animations=t.animations,
            participants=t.participants,
            cafes=t.cafes,
            communes=len(t.communes),
        )
        for (code, name), t in sorted(tallies.items())
    ]


def _tours(year: int) -> list[TourFigures]:
    # A tour counts when one of its stops was held that year; only held stops add up.
    rows = (
        TourStop.objects.filter(booking__in=held_in(year))
        .values("tour__name", "tour__slug")
        .annotate(stops=Count("pk"), participants=Sum("booking__participants"))
        .order_by("tour__name")
    )
    return [
        TourFigures(row["tour__name"], row["tour__slug"], row["stops"], row["participants"] or 0)
        for row in rows
    ]


def _funds(year: int) -> list[FundFigures]:
    rows = list(
        Reimbursement.objects.filter(state=Reimbursement.State.APPROVED, booking__in=held_in(year))
        .values("fund__name", "fund__year", "fund__funder__name")
        .annotate(amount=Sum("approved_amount"), animations=Count("booking", distinct=True))
        .order_by("fund__name", "fund__year")
    )
    # A December animation may be paid from next year's fund of the same name: funds are
    # keyed by name, and by "name year" (as the fund's own label reads) only when a name
    # would otherwise stand for two funds.
    names = [row["fund__name"] for row in rows]
    return [
        FundFigures(
            label=(
                f"{row['fund__name']} {row['fund__year']}"
                if names.count(row["fund__name"]) > 1
                else row["fund__name"]
            ),
            funder=row["fund__funder__name"] or "",
            animations=row["animations"],
            amount=row["amount"] or Decimal("0.00"),
        )
        for row in rows
    ]


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


# ---------------------------------------------------------------------------- CSV export

CSV_HEADERS = [
    "Rubrique",
    "Code",
    "Libellé",
    "Animations réalisées",
    "Participants",
    "Cafés",
    "Communes",
    "Départements",
    "Montant remboursé (€)",
]


def csv_cell(value: object) -> str:
    """Amounts with a decimal comma, other cells safe from formulas."""
    if isinstance(value, Decimal):
        return _amount(value).replace(".", ",")  # French Excel reads decimal commas
    return safe_cell(value)


def impact_csv(impact: YearImpact) -> str:
    """The year's figures as one table, for French spreadsheet software."""
    rows = [
        [
            "Ensemble",
            impact.year,
            f"Année {impact.year}",
            impact.animations,
            impact.participants,
            impact.cafes,
            impact.communes,
            len(impact.departments),
            impact.reimbursed,
        ]
    ]
    rows += [
        ["Type d'animation", k.slug, k.name, k.animations, k.participants] for k in impact.by_kind
    ]
    rows += [
        ["Mois", f"{impact.year}-{m.month:02d}", m.name, m.animations, m.participants]
        for m in impact.by_month
    ]
    rows += [
        ["Département", d.code, d.name, d.animations, d.participants, d.cafes, d.communes]
        for d in impact.departments
    ]
    rows += [["Tournée", t.slug, t.name, t.stops, t.participants] for t in impact.tours]
    rows += [
        ["Guinguette mobile", g.territory, g.name, g.dates, g.participants, "", g.communes]
        for g in impact.guinguettes
    ]
    rows += [["Fonds", "", f.label, f.animations, "", "", "", "", f.amount] for f in impact.funds]
    return excel_csv(CSV_HEADERS, rows, cell=csv_cell)
