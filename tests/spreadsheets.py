"""The spreadsheet imports (accompaniment history, programming) as their tests drive them:
rows written as CSV under the command's header, the command run expecting success or a
refusal."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


class ImportCommand:
    def __init__(self, name: str, header: list[str]) -> None:
        self.name = name
        self.header = header

    def line(self, **values: str) -> list[str]:
        return [values.get(column, "") for column in self.header]

    def write_csv(
        self,
        path: Path,
        rows: list[list[str]],
        *,
        header: list[str] | None = None,
        encoding: str = "utf-8",
    ) -> Path:
        # The csv module quotes "12,50" as a spreadsheet does.
        with path.open("w", encoding=encoding, newline="") as handle:
            csv.writer(handle).writerows([self.header if header is None else header, *rows])
        return path

    def run(self, path: Path, *options: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        try:
            call_command(self.name, str(path), *options, stdout=out, stderr=err)
        except CommandError:
            pytest.fail(err.getvalue())
        return out.getvalue(), err.getvalue()

    def run_failing(self, path: Path) -> str:
        """What the command says when it refuses the file (exit status 1)."""
        err = StringIO()
        with pytest.raises(CommandError) as failure:
            call_command(self.name, str(path), stdout=StringIO(), stderr=err)
        assert failure.value.returncode == 1
        return f"{err.getvalue()}\n{failure.value}"
