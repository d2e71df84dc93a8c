"""Booking request throughput: `events.services.request_booking` from several threads.

    .venv/bin/python bench/bookings.py [--requests 2000] [--threads 4] [--cafes 20]
        [--database-url postgres://postgres@127.0.0.1:5432/mille_cafes_bench_bookings]

Builds a throw-away database (SQLite in a temporary folder, or the PostgreSQL database named
by --database-url, created and dropped), migrated, with a staff member and --cafes cafés, then
fires --requests booking requests of the catalogue's first kind (the chess workshop) spread
over the cafés, from --threads threads, each request its own transaction as in the booking
form. The baseline of the same run inserts the same bookings and their history rows with bare
`Booking.objects.create` in one transaction each, without the service's checks and locks.
Prints requests/s of both and the ratio service/baseline: what the permission check, the row
locks (the café row on PostgreSQL; the database write lock, IMMEDIATE, on SQLite) and the
overlap queries cost.

The requests come from a staff member and the cafés have no manager, so no e-mail is sent:
e-mails leave after commit and are not what this measures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"


def prepare(database_url: str) -> None:
    if database_url.startswith("postgres"):
        _pg(database_url, "DROP DATABASE IF EXISTS")
        _pg(database_url, "CREATE DATABASE")
    env = {**os.environ, "DATABASE_URL": database_url, "MEILISEARCH_URL": "", "REDIS_URL": ""}
    env.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")
    subprocess.run(
        [str(PYTHON), str(PROJECT_ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        env=env,
        check=True,
    )


def _pg(database_url: str, statement: str) -> None:
    import psycopg

    parsed = urlparse(database_url)
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'{statement} "{parsed.path.lstrip("/")}"')


@contextmanager
def throwaway_database(database_url: str | None, name: str) -> Iterator[None]:
    """Django set up on a database of the run's own, migrated, removed afterwards: the
    PostgreSQL database named by `database_url`, or SQLite in a temporary folder."""
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    try:
        url = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
        print(f"load average {os.getloadavg()[0]:.2f}; preparing the database…")
        prepare(url)
        setup_django(url)
        yield
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if database_url:
            _pg(database_url, "DROP DATABASE IF EXISTS")
        shutil.rmtree(workdir, ignore_errors=True)


def setup_django(database_url: str) -> None:
    # DEBUG would log every query's SQL in memory, as production does not.
    os.environ.update(DATABASE_URL=database_url, MEILISEARCH_URL="", REDIS_URL="", DEBUG="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")
    sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "site")]
    import django

    django.setup()


def run_threads(count: int, threads: int, work) -> tuple[float, int]:
    """Call work(i) for i in range(count) from `threads` threads: (seconds, lock timeouts).

    A request that waits past SQLite's lock timeout is counted, not retried: on a loaded
    machine the figure says how often a user would have seen an error.
    """
    from django.db import OperationalError, connection

    lock = threading.Lock()
    numbers = iter(range(count))
    failures: list[BaseException] = []
    timeouts = 0

    def worker() -> None:
        nonlocal timeouts
        try:
            while True:
                with lock:
                    i = next(numbers, None)
                if i is None:
                    return
                try:
                    work(i)
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    with lock:
                        timeouts += 1
        except BaseException as error:  # reported after the run, never silently lost
            failures.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if failures:
        raise failures[0]
    return time.perf_counter() - started, timeouts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--cafes", type=int, default=20)
    parser.add_argument("--database-url", help="PostgreSQL URL; SQLite in a temp folder if unset")
    args = parser.parse_args()

    with throwaway_database(args.database_url, "bookings"):
        measure(args)


def measure(args) -> None:
    from django.db import transaction
    from django.utils import timezone

    from community.accounts.models import MembershipStatus, Role, User
    from community.places.models import Cafe, Commune, Department, Region
    from events.models import (
        GUINGUETTE_KIND,
        AnimationKind,
        Booking,
        BookingEvent,
        BookingState,
    )
    from events.services import request_booking

    region = Region.objects.create(code="76", name="Occitanie")
    department = Department.objects.create(code="81", name="Tarn", region=region)
    commune = Commune.objects.create(insee_code="81004", name="Albi", department=department)
    cafes = [Cafe.objects.create(name=f"Café {n}", commune=commune) for n in range(args.cafes)]
    staff = User.objects.create_user(
        email="equipe@example.org",
        password="bench-bench-bench",
        display_name="Équipe",
        role=Role.STAFF,
        membership_status=MembershipStatus.APPROVED,
    )
    # The catalogue's first kind a café books itself (communes request the Guinguette).
    kind = (
        AnimationKind.objects.filter(is_bookable=True)
        .exclude(slug=GUINGUETTE_KIND)
        .order_by("pk")
        .first()
    )
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=30)

    def moment(i: int):
        # One distinct future hour per request: requests never block one another's dates.
        return start + timedelta(hours=3 * i)

    def request(i: int) -> None:
        request_booking(
            by=staff, cafe=cafes[i % len(cafes)], kind=kind, preferred_dates=[moment(i)]
        )

    def bare(i: int) -> None:
        with transaction.atomic():
            booking = Booking.objects.create(
                cafe=cafes[i % len(cafes)], kind=kind, preferred_1=moment(i), requested_by=staff
            )
            BookingEvent.objects.create(
                booking=booking, action="request", to_state=BookingState.REQUESTED, by=staff
            )

    # Warm up both paths (imports, prepared connections), then clear before measuring.
    run_threads(20, args.threads, bare)
    run_threads(20, args.threads, lambda i: request(i + 20))
    Booking.objects.all().delete()

    baseline, base_timeouts = run_threads(args.requests, args.threads, bare)
    Booking.objects.all().delete()
    service, service_timeouts = run_threads(args.requests, args.threads, request)
    made = Booking.objects.filter(state=BookingState.REQUESTED).count()
    assert made == args.requests - service_timeouts, made

    base_rate = (args.requests - base_timeouts) / baseline
    service_rate = made / service
    print(f"\n{args.requests} requests, {args.threads} threads, {args.cafes} cafés")
    print(f"bare insert (baseline):  {base_rate:8.1f} bookings/s  ({baseline:.2f} s)")
    print(f"request_booking:         {service_rate:8.1f} requests/s  ({service:.2f} s)")
    print(f"ratio service/baseline:  {service_rate / base_rate:.2f}")
    print(f"lock timeouts: baseline {base_timeouts}, request_booking {service_timeouts}")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
