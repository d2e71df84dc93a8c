"""CSV files that French spreadsheet software opens as is, and that cannot run formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

# A cell starting with one of these is a formula for spreadsheet apps: a member or a fund
# named "=HYPERLINK(…)" must stay text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def excel_csv(
    headers: list[str],
    rows: Iterable[Iterable[object]],
    cell: Callable[[object], str] = safe_cell,
) -> str:
    """UTF-8 with a byte order mark (Excel reads UTF-8 only with it), semicolons (the
    separator French Excel expects), CRLF; every row as wide as the headers."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        cells = [cell(value) for value in row]
        writer.writerow(cells + [""] * (len(headers) - len(cells)))
    return buffer.getvalue()
