"""Rows/s and peak memory of `manage.py import_programming` on a generated file.

    .venv/bin/python bench/import_programming.py [--rows 50000] [--small 5000]
        [--database-url postgres://postgres@127.0.0.1:5432/mille_cafes_bench_import]

Builds a throw-away database (SQLite in a temporary folder, migrated once and copied for each
measurement; or, with --database-url, a PostgreSQL database migrated once and used as the
template of one database per measurement, all dropped at the end), writes generated CSV
files of --rows and --small lines, and runs each measurement in a fresh Python process so its
peak RSS (getrusage high-water mark) is its own:

  csv.reader only          reading the file, the floor of any import
  check only               the validation pass (parse, catalogue and commune lookups)
  import (small), (full)   check + import into an empty programming history
  import again             the same full file a second time: every row already present

It prints rows/s and peak RSS for each, then the ratios against the baselines of the same
run: import/check and import/csv rows/s, and full/small peak RSS (bounded memory ≈ 1).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"

DEPARTMENTS = ["81", "12", "46", "82"]
COMMUNES_PER_DEPARTMENT = 500
CAFE_NAMES = ["Café de la Mairie", "Le Bistrot", "Bar des Sports"]
PROVIDERS = [f"Compagnie {n}" for n in range(1, 21)]


def insee(department: str, n: int) -> str:
    return f"{department}{n:03d}"


# --- Inside a measured process ----------------------------------------------------------------


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # DEBUG would keep the SQL of the last 9,000 queries: memory the import does not use.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")
    os.environ.setdefault("MEILISEARCH_URL", "")
    os.environ.setdefault("REDIS_URL", "")
    sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "site")]
    import django

    django.setup()


def seed_places() -> None:
    """Departments, and half the communes with one café: the other half the import creates."""
    from community.places.models import Cafe, Commune, Department, Region

    region = Region.objects.create(code="76", name="Occitanie")
    departments = {
        code: Department.objects.create(code=code, name=f"Département {code}", region=region)
        for code in DEPARTMENTS
    }
    communes = Commune.objects.bulk_create(
        Commune(insee_code=insee(code, n), name=f"Commune {code}-{n}", department=department)
        for code, department in departments.items()
        for n in range(1, COMMUNES_PER_DEPARTMENT // 2 + 1)
    )
    Cafe.objects.bulk_create(Cafe(name=CAFE_NAMES[0], commune=c) for c in communes)


def child(mode: str, path: Path | None, rows: int, seed: int) -> dict:
    import resource

    from events.importing import check_file, import_file

    started = time.perf_counter()
    result: dict = {}
    if mode == "seed":
        seed_places()
    elif mode == "generate":
        generate(path, rows, seed)
    elif mode == "csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            result["rows"] = sum(1 for _row in csv.reader(handle)) - 1
    elif mode == "check":
        assert check_file(path, print) == 0
    else:
        assert check_file(path, print) == 0
        report = import_file(path)
        result = {"rows": report.rows, "created": report.created, "present": report.present}
    result["seconds"] = time.perf_counter() - started
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


# --- The launcher -----------------------------------------------------------------------------


def generate(path: Path, rows: int, seed: int = 42) -> None:
    """Deterministic rows over three past years, 2,000 communes, some tours and funds.

    The columns are the importer's, the kinds the catalogue's (as the migrations create it) and
    the statuses those the importer reads, so the file follows them when they change. Run in a
    child process: it needs Django and the migrated database.
    """
    from events.importing import HEADER, STATUSES
    from events.models import AnimationKind, BookingState

    catalogue = AnimationKind.objects.order_by("pk")
    kinds = list(catalogue.values_list("slug", flat=True))
    # Kinds that are not booked one by one come through a tour: their rows name one.
    toured = dict(catalogue.filter(is_bookable=False).values_list("slug", "name"))
    status_of = {state: status for status, state in STATUSES.items()}
    held = status_of[BookingState.HELD]
    statuses = [held] * 7 + [
        status_of[BookingState.CANCELLED],
        status_of[BookingState.DECLINED],
        status_of[BookingState.CONFIRMED],
    ]
    rng = random.Random(seed)
    first = date(date.today().year - 3, 1, 1)
    span = (date(date.today().year - 1, 12, 31) - first).days
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for _ in range(rows):
            day = first + timedelta(days=rng.randrange(span))
            kind = rng.choice(kinds)
            department = rng.choice(DEPARTMENTS)
            n = rng.randrange(1, COMMUNES_PER_DEPARTMENT + 1)
            status = rng.choice(statuses)
            funded = status == held and rng.random() < 0.3
            values = {
                "date": day.isoformat(),
                "kind": kind,
                "cafe": rng.choice(CAFE_NAMES),
                "commune_insee": insee(department, n),
                "commune": f"Commune {department}-{n}",
                "department": department,
                "provider": rng.choice(PROVIDERS) if rng.random() < 0.6 else "",
                "participants": str(rng.randrange(0, 120)) if status == held else "",
                "status": status,
                "tour": f"{toured[kind]} — été {day.year}" if kind in toured else "",
                "fund": "Fonds Bien vieillir" if funded else "",
                "reimbursed_eur": (
                    f"{rng.randrange(20, 300)},{rng.randrange(100):02d}" if funded else ""
                ),
            }
            writer.writerow(values[column] for column in HEADER)


class Databases:
    """One migrated database, then a fresh copy of it per measurement."""

    def __init__(self, workdir: Path, url: str | None) -> None:
        self.workdir, self.url, self.made = workdir, url, []

    def _manage(self, database_url: str, *args: str) -> None:
        env = {**os.environ, "DATABASE_URL": database_url, "MEILISEARCH_URL": "", "REDIS_URL": ""}
        env.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")
        subprocess.run([str(PYTHON), str(PROJECT_ROOT / "manage.py"), *args], env=env, check=True)

    def _pg(self, sql: str) -> None:
        import psycopg

        admin = urlunparse(urlparse(self.url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    def template(self) -> None:
        if self.url:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name(0)}"')
            self._pg(f'CREATE DATABASE "{self.name(0)}"')
        self._manage(self.database(0), "migrate", "--noinput", "-v0")
        measure("seed", None, self.database(0))

    def name(self, n: int) -> str:
        base = urlparse(self.url).path.lstrip("/")
        return base if n == 0 else f"{base}_{n}"

    def database(self, n: int) -> str:
        if self.url:
            return urlunparse(urlparse(self.url)._replace(path=f"/{self.name(n)}"))
        return f"sqlite:///{self.workdir / f'db{n}.sqlite3'}"

    def fresh(self, n: int) -> str:
        if self.url:
            self._pg(f'DROP DATABASE IF EXISTS "{self.name(n)}"')
            self._pg(f'CREATE DATABASE "{self.name(n)}" TEMPLATE "{self.name(0)}"')
            self.made.append(self.name(n))
        else:
            shutil.copy(self.workdir / "db0.sqlite3", self.workdir / f"db{n}.sqlite3")
        return self.database(n)

    def drop_all(self) -> None:
        if self.url:
            for name in [*self.made, self.name(0)]:
                self._pg(f'DROP DATABASE IF EXISTS "{name}"')


def measure(mode: str, path: Path | None, database_url: str, *options: str) -> dict:
    output = subprocess.run(
        [
            str(PYTHON),
            __file__,
            "--child",
            mode,
            str(path),
            "--database-url",
            database_url,
            *options,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=5_000)
    parser.add_argument("--database-url", help="PostgreSQL URL; SQLite in a temp folder if unset")
    parser.add_argument("--seed", type=int, default=42, help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        setup_django(args.database_url)
        print(json.dumps(child(args.child, args.file, args.rows, args.seed)))
        return

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    databases = Databases(workdir, args.database_url)
    try:
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{engine}; load average {os.getloadavg()[0]:.2f}; preparing the database…")
        databases.template()
        full, small = workdir / "full.csv", workdir / "small.csv"
        measure("generate", full, databases.database(0), "--rows", str(args.rows))
        measure("generate", small, databases.database(0), "--rows", str(args.small), "--seed", "7")

        read = measure("csv", full, databases.database(0))
        check = measure("check", full, databases.database(0))
        small_run = measure("import", small, databases.fresh(1))
        target = databases.fresh(2)
        full_run = measure("import", full, target)
        again = measure("import", full, target)
        check["rows"] = args.rows

        print(f"\n{'measurement':<26}{'rows':>8}{'seconds':>10}{'rows/s':>10}{'peak RSS':>12}")
        for label, result in (
            ("csv.reader only", read),
            ("check only", check),
            (f"import {args.small:,} rows", small_run),
            (f"import {args.rows:,} rows", full_run),
            ("import again (no-op)", again),
        ):
            rate = result["rows"] / result["seconds"]
            print(
                f"{label:<26}{result['rows']:>8}{result['seconds']:>10.2f}{rate:>10,.0f}"
                f"{result['peak_mb']:>9.1f} MB"
            )
        full_rate = full_run["rows"] / full_run["seconds"]
        print(
            f"\ncreated {full_run['created']:,}, already present {full_run['present']:,} "
            f"(repeated date+kind+café in the generated file); second run created "
            f"{again['created']}, found {again['present']:,}"
        )
        print(f"import / check rows/s:      {full_rate / (args.rows / check['seconds']):.2f}")
        print(f"import / csv.reader rows/s: {full_rate / (read['rows'] / read['seconds']):.3f}")
        print(
            f"peak RSS {args.rows:,} / {args.small:,} rows: "
            f"{full_run['peak_mb'] / small_run['peak_mb']:.2f} "
            f"(bounded memory ≈ 1; rows ×{args.rows / args.small:.0f})"
        )
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    finally:
        databases.drop_all()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
