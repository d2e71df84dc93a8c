"""community.lib.formats: one French way to write dates, durations, numbers and amounts, the
same in Python and, with no {% load %}, in every template."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template

from community.lib.formats import day_month, duration, euros, french_date, french_datetime, number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (12345, 0, "12\u202f345"),
        (1234567.0, 0, "1\u202f234\u202f567"),
        (1234.56, 1, "1\u202f234,6"),
        (Decimal("25000"), 2, "25\u202f000,00"),
    ],
)
def test_numbers_group_thousands_with_a_narrow_space_and_use_a_decimal_comma(
    value, decimals, expected
):
    assert number(value, decimals) == expected


def test_amounts_durations_and_dates():
    assert euros(Decimal("25000")) == "25\u202f000,00\u00a0€"
    assert euros(None) == ""
    assert duration(timedelta(hours=1, minutes=30)) == "1 h 30"
    assert duration(timedelta(hours=2)) == "2 h"
    # Paris time whatever the zone given, and French typography for the hour.
    assert french_datetime(datetime(2026, 6, 13, 16, 0, tzinfo=UTC)) == (
        "samedi 13 juin 2026 à 18 h 00"
    )


def test_every_template_has_the_filters_without_loading_them():
    template = Template(
        "{{ start|when }} · {{ start|time_fr }} · {{ total|thousands }} · {{ amount|euros }}"
        " · {{ length|duration_fr }} · {{ missing|when }}"
    )
    rendered = template.render(
        Context(
            {
                "start": datetime(2026, 12, 3, 17, 0, tzinfo=UTC),
                "total": 4200,
                "amount": Decimal("180"),
                "length": timedelta(minutes=90),
                "missing": None,
            }
        )
    )
    assert rendered == (
        "jeudi 3 décembre 2026 à 18 h 00 · 18 h 00 · 4\u202f200 · 180,00\u00a0€ · 1 h 30 · "
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 12, 1), "1er décembre"),
        (date(2026, 12, 2), "2 décembre"),
        (date(2026, 12, 31), "31 décembre"),
        # The day is Paris's: 23:30 UTC on 30 November is already 1 December there.
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "1er décembre"),
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "1er juillet"),
    ],
)
def test_the_first_of_a_month_is_written_premier(value, expected):
    assert day_month(value) == expected


def test_dates_with_and_without_weekday():
    assert french_date(date(2026, 6, 1)) == "lundi 1er juin 2026"
    assert french_date(date(2026, 6, 1), weekday=False) == "1er juin 2026"
    assert french_date(datetime(2026, 5, 31, 22, 0, tzinfo=UTC), weekday=False) == "1er juin 2026"
    assert french_datetime(datetime(2026, 5, 31, 22, 0, tzinfo=UTC)) == (
        "lundi 1er juin 2026 à 0 h 00"
    )


def test_the_date_filters_write_premier_too():
    rendered = Template(
        "{{ day|date_fr }} · {{ day|day_month_fr }} · {{ day|day_fr }} · {{ moment|when }}"
        " · {{ missing|date_fr }}"
    ).render(
        Context(
            {
                "day": date(2026, 12, 1),
                "moment": datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
                "missing": None,
            }
        )
    )
    assert rendered == (
        "1er décembre 2026 · 1er décembre · mardi 1er décembre 2026 · "
        "mardi 1er décembre 2026 à 18 h 00 · "
    )


# Django's own date formatting writes « 1 décembre »: pages, e-mails and code go through
# community.lib.formats instead. `date:'c'` (ISO 8601, for <time datetime>) is not words.
TEMPLATE_DATE = re.compile(r"""\|\s*date\s*(?::\s*(?!['"]c['"])|\s*(?:}}|\|))""")
PYTHON_DATE = re.compile(r"date_format\(|strftime\([^)]*%[AaBb]|\|date:")


def _sources(pattern: str) -> list[Path]:
    repo = Path(__file__).resolve().parents[2]
    skip = {".venv", "var", "node_modules", "migrations", "tests"}
    return [p for p in repo.rglob(pattern) if not skip & set(p.relative_to(repo).parts)]


def test_no_template_writes_a_date_in_words_without_the_formatter():
    found = [
        f"{path}:{n}"
        for path in _sources("*.html") + _sources("*.txt")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if TEMPLATE_DATE.search(line)
    ]
    assert found == []


def test_no_python_code_writes_a_date_in_words_without_the_formatter():
    found = [
        f"{path}:{n}"
        for path in _sources("*.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if PYTHON_DATE.search(line)
    ]
    assert found == []
