"""Impact figures of a year (`events.impact.year_impact`) over 5,000 then 50,000 bookings.

    .venv/bin/python bench/impact.py [--bookings 50000] [--runs 5]
        [--database-url postgres://postgres@127.0.0.1:5432/mille_cafes_bench_impact]

Builds a throw-away database (SQLite in a temporary folder, or the PostgreSQL database named
by --database-url, created and dropped) with 400 cafés in 20 departments and bookings spread
over three years and every state (about a third held), tour stops and approved
reimbursements. With a tenth of the bookings, then all of them, it times (median of --runs):

- `year_impact`: the five grouped queries the dashboard and `impact_report` use;
- baseline "count": one `COUNT(*)` of the year's held bookings, the floor for any figure;
- baseline "naive": the same figures computed in Python from the year's held bookings
  loaded with their café, commune and department, as a report script would without SQL.

Prints milliseconds and the ratios year_impact/count and naive/year_impact, and how each
grows from a tenth of the bookings to all of them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bookings import throwaway_database  # noqa: E402  (the same throw-away database)

YEAR = 2025
DEPARTMENTS = 20
CAFES = 400


def build_places() -> list:
    from community.places.models import Cafe, Commune, Department, Region

    region = Region.objects.create(code="76", name="Occitanie")
    departments = [
        Department.objects.create(code=f"{10 + n}", name=f"Département {10 + n}", region=region)
        for n in range(DEPARTMENTS)
    ]
    communes = Commune.objects.bulk_create(
        Commune(
            insee_code=f"{departments[n % DEPARTMENTS].code}{n:03d}",
            name=f"Commune {n}",
            department=departments[n % DEPARTMENTS],
        )
        for n in range(CAFES)
    )
    # Every café name twice: the figures must count cafés, not names.
    return Cafe.objects.bulk_create(
        Cafe(name=f"Café {n // 2}", commune=communes[n]) for n in range(CAFES)
    )


def add_bookings(cafes: list, start: int, count: int) -> None:
    from events.impact import PARIS
    from events.models import (
        AnimationKind,
        Booking,
        BookingState,
        Fund,
        Reimbursement,
        Tour,
        TourStop,
    )

    states = [BookingState.HELD] * 3 + [
        BookingState.CANCELLED,
        BookingState.CONFIRMED,
        BookingState.REQUESTED,
        BookingState.DECLINED,
        BookingState.PROPOSED,
    ]

    kinds = list(AnimationKind.objects.all())
    tour, _ = Tour.objects.get_or_create(
        slug="bench",
        defaults={
            "name": "Tournée du banc d'essai",
            "kind": kinds[0],
            "season_start": datetime(YEAR, 1, 1).date(),
            "season_end": datetime(YEAR, 12, 31).date(),
        },
    )
    fund, _ = Fund.objects.get_or_create(
        name="Fonds du banc d'essai", year=YEAR, defaults={"budget": 10**7}
    )
    origin = datetime(YEAR - 1, 1, 1, 9, tzinfo=PARIS)
    rows = []
    for n in range(start, start + count):
        moment = origin + timedelta(hours=(n * 7919) % (3 * 365 * 24))
        state = states[n % len(states)]
        rows.append(
            Booking(
                cafe=cafes[n % len(cafes)],
                kind=kinds[n % len(kinds)],
                state=state,
                preferred_1=moment,
                starts_at=moment,
                ends_at=moment + timedelta(hours=2),
                participants=5 + n % 40 if state == BookingState.HELD else None,
            )
        )
    created = Booking.objects.bulk_create(rows, batch_size=2000)
    held = [booking for booking in created if booking.state == BookingState.HELD]
    TourStop.objects.bulk_create(
        TourStop(tour=tour, booking=booking, show="Spectacle") for booking in held[::50]
    )
    Reimbursement.objects.bulk_create(
        (
            Reimbursement(
                booking=booking,
                fund=fund,
                state=Reimbursement.State.APPROVED,
                requested_amount=Decimal("100.00"),
                approved_amount=Decimal("87.50"),
                invoice="animations/factures/bench.pdf",
            )
            for booking in held[::10]
        ),
        batch_size=2000,
    )


def naive(year: int) -> tuple[int, int, int, int, int]:
    """The headline figures computed in Python from every held booking of the year."""
    from events.impact import held_in

    rows = held_in(year).select_related("cafe__commune__department", "kind")
    cafes, communes, departments = set(), set(), set()
    animations = participants = 0
    for booking in rows:
        animations += 1
        participants += booking.participants or 0
        cafes.add(booking.cafe_id)
        communes.add(booking.cafe.commune_id)
        departments.add(booking.cafe.commune.department.code)
    return animations, participants, len(cafes), len(communes), len(departments)


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(cafes: list, total: int, runs: int) -> None:
    from events.impact import held_in, year_impact

    tenth = total // 10
    results = {}
    for size, added in ((tenth, tenth), (total, total - tenth)):
        add_bookings(cafes, size - added, added)
        figures = year_impact(YEAR)
        assert naive(YEAR) == (
            figures.animations,
            figures.participants,
            figures.cafes,
            figures.communes,
            len(figures.departments),
        ), "the naive baseline disagrees with year_impact"
        results[size] = {
            "year_impact": median_ms(lambda: year_impact(YEAR), runs),
            "count": median_ms(lambda: held_in(YEAR).count(), runs),
            "naive": median_ms(lambda: naive(YEAR), runs),
        }
        timing = results[size]
        print(
            f"{size:>6} bookings ({figures.animations} held in {YEAR}): "
            f"year_impact {timing['year_impact']:.1f} ms, count {timing['count']:.1f} ms, "
            f"naive {timing['naive']:.1f} ms; year_impact/count "
            f"{timing['year_impact'] / timing['count']:.1f}×, naive/year_impact "
            f"{timing['naive'] / timing['year_impact']:.1f}×"
        )
    for name in ("year_impact", "count", "naive"):
        growth = results[total][name] / results[tenth][name]
        print(f"{name}: {growth:.1f}× the time for 10× the bookings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url", help="PostgreSQL URL; SQLite in a temp folder if unset")
    args = parser.parse_args()

    with throwaway_database(args.database_url, "impact"):
        measure(build_places(), args.bookings, args.runs)
        print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
