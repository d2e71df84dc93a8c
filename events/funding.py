"""What a funder sees of its funds: budget, committed, granted and remaining; the animations
they fund with their participants; the same by café and by region; and a CSV of it all.

An animation is funded by a fund when a claim on that fund is pending or granted (a refused
claim funds nothing). The claims are read in one query and grouped here: a funder has at
most a few hundred.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from community.spreadsheet import excel_csv

from .impact import csv_cell
from .models import Fund, Reimbursement

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FundedAnimation:
    starts_at: datetime
    kind: str
    cafe: str
    commune: str
    region: str
    participants: int | None
    fund: str
    state: str
    committed: Decimal  # granted when decided, asked for while pending
    granted: Decimal


@dataclass
class Group:
    """Funded animations of one café or one region."""

    label: str
    region: str = ""
    animations: int = 0
    participants: int = 0
    committed: Decimal = ZERO
    granted: Decimal = ZERO
    _bookings: set[int] = field(default_factory=set, repr=False)

    def add(self, booking_id: int, row: FundedAnimation) -> None:
        # Two funds of one funder may pay for the same animation: count it, and its
        # participants, once.
        if booking_id not in self._bookings:
            self._bookings.add(booking_id)
            self.animations += 1
            self.participants += row.participants or 0
        self.committed += row.committed
        self.granted += row.granted


@dataclass(frozen=True)
class FunderFigures:
    funds: list[Fund]  # with_totals(): paid, pending, committed, remaining
    animations: list[FundedAnimation]
    by_cafe: list[Group]
    by_region: list[Group]

    @property
    def budget(self) -> Decimal:
        return sum((f.budget for f in self.funds), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((f.committed for f in self.funds), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((f.paid for f in self.funds), ZERO)

    @property
    def remaining(self) -> Decimal:
        return sum((f.remaining for f in self.funds), ZERO)

    @property
    def participants(self) -> int:
        return sum(group.participants for group in self.by_region)


def funder_figures(funds: QuerySet[Fund]) -> FunderFigures:
    fund_list = list(funds.with_totals().select_related("funder").order_by("-year", "name"))
    claims = (
        Reimbursement.objects.filter(fund__in=[f.pk for f in fund_list])
        .exclude(state=Reimbursement.State.REFUSED)
        .select_related("fund", "booking__kind", "booking__cafe__commune__department__region")
        .order_by("booking__starts_at", "pk")
    )
    animations, by_cafe, by_region = [], {}, {}
    for claim in claims:
        booking, cafe = claim.booking, claim.booking.cafe
        region = cafe.commune.department.region.name
        granted = claim.approved_amount if claim.state == Reimbursement.State.APPROVED else ZERO
        row = FundedAnimation(
            starts_at=booking.starts_at,
            kind=booking.kind.name,
            cafe=cafe.name,
            commune=cafe.commune.name,
            region=region,
            participants=booking.participants,
            fund=str(claim.fund),
            state=claim.get_state_display(),
            committed=granted or claim.requested_amount,
            granted=granted or ZERO,
        )
        animations.append(row)
        by_cafe.setdefault(cafe.pk, Group(cafe.label, region)).add(booking.pk, row)
        by_region.setdefault(region, Group(region)).add(booking.pk, row)
    return FunderFigures(
        funds=fund_list,
        animations=animations,
        by_cafe=sorted(by_cafe.values(), key=lambda g: (g.region, g.label)),
        by_region=sorted(by_region.values(), key=lambda g: g.label),
    )


CSV_HEADERS = [
    "Rubrique",
    "Libellé",
    "Fonds",
    "Date",
    "Commune",
    "Région",
    "Animations",
    "Participants",
    "Budget (€)",
    "Engagé (€)",
    "Accordé (€)",
    "Restant (€)",
]


def _groups(section: str, groups: Iterable[Group]) -> list[list[object]]:
    return [
        [
            section,
            g.label,
            "",
            "",
            "",
            g.region,
            g.animations,
            g.participants,
            "",
            g.committed,
            g.granted,
        ]
        for g in groups
    ]


def funder_csv(figures: FunderFigures) -> str:
    """The funder's figures as one table for French spreadsheet software, the section first."""
    rows: list[list[object]] = [
        [
            "Fonds",
            f.funder.name if f.funder else "",
            str(f),
            "",
            "",
            "",
            "",
            "",
            f.budget,
            f.committed,
            f.paid,
            f.remaining,
        ]
        for f in figures.funds
    ]
    rows += [
        [
            "Animation",
            f"{a.kind} – {a.cafe} ({a.state.lower()})",
            a.fund,
            timezone.localtime(a.starts_at).date().isoformat() if a.starts_at else "",
            a.commune,
            a.region,
            1,
            a.participants if a.participants is not None else "",
            "",
            a.committed,
            a.granted,
        ]
        for a in figures.animations
    ]
    rows += _groups("Café", figures.by_cafe)
    rows += _groups("Région", figures.by_region)
    return excel_csv(CSV_HEADERS, rows, cell=csv_cell)
