"""The import contracts (.importlinter) hold on the tree, and `lint-imports` fails on a
deliberate upward import: each case copies the sources, adds one import a contract forbids
and expects the linter to name it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["forum", "toolkit", "webinars", "events", "search", "site/community"]


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root / "site")},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "added", "broken"),
    [
        # Even inside a method, where Wagtail routes used to import their views.
        (
            "webinars/models.py",
            "\n\ndef _upwards():\n    from . import views  # noqa\n",
            "webinars.models is not allowed to import webinars.views",
        ),
        (
            "site/community/places/models.py",
            "\nimport events.models  # noqa\n",
            "community is not allowed to import events",
        ),
        (
            "toolkit/listing.py",
            "\nimport webinars.models  # noqa\n",
            "toolkit is not allowed to import webinars",
        ),
        (
            "search/query.py",
            "\nimport forum.models  # noqa\n",
            "search is not allowed to import forum",
        ),
    ],
)
def test_an_upward_import_breaks_the_lint(tmp_path, module, added, broken):
    shutil.copy(ROOT / ".importlinter", tmp_path)
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "static"),
        )
    with open(tmp_path / module, "a") as source:
        source.write(added)

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert broken in result.stdout
