"""community.lib.formats: one French way to write dates, durations, numbers and amounts, the
same in Python and, with no {% load %}, in every template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template

from community.lib.formats import duration, euros, french_datetime, number


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
