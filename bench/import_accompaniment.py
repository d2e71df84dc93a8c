"""Rows/s of `manage.py import_accompaniment` on a generated history, against csv.reader.

    .venv/bin/python bench/import_accompaniment.py [--rows 10000]
        [--database-url postgres://postgres@127.0.0.1:5432/mille_cafes_bench_journey]

Migrates a throw-away database (SQLite in a temporary folder by default; the PostgreSQL
database given is dropped and created), seeds 2,000 communes, writes a file of --rows lines
(one application per commune and year: a third accepted, with their stages and a café for
those that opened), then measures in the same run:

  csv.reader only    reading the file, the floor of any import
  check only         the validation pass (dates, rules, commune lookups)
  import             check + import in one transaction
  import again       the same file a second time: every line already present

and prints rows/s for each and the ratios import/csv and import/check.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS = ["81", "12", "46", "82"]
COMMUNES_PER_DEPARTMENT = 500


def generate(path: Path, rows: int, seed: int = 42) -> None:
    from community.accompaniment.importing import DECISIONS, HEADER, STAGE_COLUMNS
    from community.accompaniment.models import ApplicationStatus
    from community.places.models import Stage

    word = {status: word for word, status in DECISIONS.items()}  # the file's decision words
    accepted, refused = word[ApplicationStatus.ACCEPTED], word[ApplicationStatus.REFUSED]

    stages = list(STAGE_COLUMNS)  # the stage date columns, in the journey's order
    opening = next(column for column, stage in STAGE_COLUMNS.items() if stage == Stage.OPENING)

    rng = random.Random(seed)
    communes = [(d, n) for d in DEPARTMENTS for n in range(1, COMMUNES_PER_DEPARTMENT + 1)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            department, n = communes[index % len(communes)]
            year = 2015 + index // len(communes)
            applied = date(year, 1, 1) + timedelta(days=rng.randrange(60))
            decision = accepted if index % 3 == 0 else refused
            values = dict.fromkeys(HEADER, "")
            values.update(
                commune_insee=f"{department}{n:03d}",
                commune=f"Commune {department}-{n}",
                applied_on=applied.isoformat(),
                decision=decision,
                decided_on=(applied + timedelta(days=30)).isoformat(),
            )
            if decision == accepted:
                day = applied + timedelta(days=40)
                for column in stages[: rng.randrange(1, len(stages) + 1)]:
                    values[column] = day.isoformat()
                    day += timedelta(days=rng.randrange(20, 90))
                if values[opening]:
                    values["cafe"] = f"Café {year}"
            writer.writerow(values[column] for column in HEADER)


def seed_communes() -> None:
    from community.places.models import Commune, Department, Region

    region = Region.objects.create(code="76", name="Occitanie")
    departments = {
        code: Department.objects.create(code=code, name=code, region=region) for code in DEPARTMENTS
    }
    Commune.objects.bulk_create(
        Commune(insee_code=f"{code}{n:03d}", name=f"Commune {code}-{n}", department=department)
        for code, department in departments.items()
        for n in range(1, COMMUNES_PER_DEPARTMENT + 1)
    )


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-journey-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    if args.database_url:
        import psycopg

        name = urlparse(url).path.lstrip("/")
        admin = urlunparse(urlparse(url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(DATABASE_URL=url, DEBUG="0", MEILISEARCH_URL="", REDIS_URL="")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")
    sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "site")]
    import django

    django.setup()
    from django.core.management import call_command

    from community.accompaniment.importing import check_file, import_rows

    call_command("migrate", verbosity=0)
    seed_communes()
    path = workdir / "history.csv"
    generate(path, args.rows)

    def read() -> None:
        with path.open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in csv.reader(handle)) == args.rows + 1

    def check() -> None:
        assert check_file(path, print, lambda n: None)[1] == 0

    def run_import() -> None:
        rows, errors = check_file(path, print, lambda n: None)
        assert errors == 0
        import_rows(rows)

    results = {
        "csv.reader only": timed(read),
        "check only": timed(check),
        "import": timed(run_import),
        "import again": timed(run_import),
    }
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{args.rows} lines, {engine}")
    for label, seconds in results.items():
        print(f"  {label:<16} {args.rows / seconds:>10,.0f} rows/s  ({seconds:.2f} s)")
    print(f"  import / csv.reader  {results['csv.reader only'] / results['import']:.3f}")
    print(f"  import / check       {results['check only'] / results['import']:.3f}")


if __name__ == "__main__":
    main()
