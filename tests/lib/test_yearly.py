"""community.yearly.parse_year: the year the figures pages and report commands accept."""

from __future__ import annotations

import pytest

from community.lib.refusals import DomainError
from community.yearly import parse_year


class ReportError(DomainError):
    """An app's own error, as each report command passes its own."""


@pytest.mark.parametrize(("typed", "year"), [(" 2025 ", 2025), (2026, 2026), ("2000", 2000)])
def test_a_year_in_range_is_read(typed, year):
    assert parse_year(typed, last=2026, refused=ReportError) == year


@pytest.mark.parametrize("typed", ["2027", "1999", "deux mille", "２０２５", "", None, "-2025"])
def test_anything_else_is_refused_with_the_apps_error_in_french(typed):
    with pytest.raises(ReportError, match="Indiquez une année de 2000 à 2026"):
        parse_year(typed, last=2026, refused=ReportError)
