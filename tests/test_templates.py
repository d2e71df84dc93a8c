"""Templates stay readable and speak the models' words: a test per rule, so that it holds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A state compared with a literal in a template is a state retyped: ask the model instead
# (booking.is_held, registration.is_confirmed, user.is_elected…).
STATE_LITERAL = re.compile(
    r"""\.(status|state|stage|role|membership_status|audience|access)\s*(==|!=)\s*['"]"""
    r"""|['"]\s*(==|!=)\s*[\w.]+\.(status|state|stage|role|membership_status|audience|access)\b"""
)


def templates() -> list[Path]:
    skip = {".venv", "var", "node_modules"}
    return [
        path
        for pattern in ("*.html", "*.txt")
        for path in ROOT.rglob(f"templates/**/{pattern}")
        if not skip & set(path.relative_to(ROOT).parts)
    ]


def offending(rule) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{n}"
        for path in templates()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if rule(line)
    ]


def test_the_rule_finds_templates():
    assert len(templates()) > 100


def test_no_template_compares_a_state_with_a_literal():
    assert offending(STATE_LITERAL.search) == []
