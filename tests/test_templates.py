"""Templates stay readable and speak the models' words: a test per rule, so that it holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# A state compared with a literal in a template is a state retyped: ask the model instead
# (booking.is_held, registration.is_confirmed, user.is_elected…).
STATE_LITERAL = re.compile(
    r"""\.(status|state|stage|role|membership_status|audience|access)\s*(==|!=)\s*['"]"""
    r"""|['"]\s*(==|!=)\s*[\w.]+\.(status|state|stage|role|membership_status|audience|access)\b"""
)
# Wider than an editor shows without scrolling sideways.
LONGEST_LINE = 200
# Lines that may stay longer, each with why: (template, start of the line once stripped).
LONG_LINES_KEPT = {
    # One sentence or one phrase, over 200 characters with its template tags: its words stay
    # together, as tests compare a page's text.
    ("site/templates/accompaniment/project.html", "<p>La commune a accepté de montrer"),
    ("site/templates/accompaniment/project.html", "<p>Le projet en cours ne figure pas"),
    ("site/templates/accounts/admin/membership_review.html", '<strong class="warning-message">'),
    ("site/templates/events/guinguette_visits.html", "Elle circule {{ season }}"),
    ("site/templates/places/cafe.html", '<p class="alert" role="status">Cette page'),
    ("site/templates/places/cafe.html", "<li><strong>{{ exception.label }}</strong> : du"),
    ("site/templates/webinars/my_webinars.html", "<p>Abonnez votre application d'agenda"),
    ("site/templates/webinars/registrants.html", '<p class="lead"><time datetime='),
    # One attribute value: a newline inside class="…" would change the attribute tests read.
    ("site/templates/allauth/elements/button.html", 'class="{% if attrs.href %}button'),
}


def templates() -> list[Path]:
    skip = {".venv", "var", "node_modules"}
    return [
        path
        for pattern in ("*.html", "*.txt")
        for path in ROOT.rglob(f"templates/**/{pattern}")
        if not skip & set(path.relative_to(ROOT).parts)
    ]


def template_lines() -> Iterator[tuple[Path, int, str]]:
    for path in templates():
        for n, line in enumerate(path.read_text().splitlines(), 1):
            yield path, n, line


def offending(rule) -> list[str]:
    return [f"{path.relative_to(ROOT)}:{n}" for path, n, line in template_lines() if rule(line)]


def is_email_body(path: Path) -> bool:
    # A line of a plain-text e-mail body is a line of the message: wrapping it would break the
    # paragraph in the reader's mail client. Subjects are folded into one line, so they wrap.
    return path.parent.name == "emails" and path.name.endswith("_body.txt")


def too_long(path: Path, line: str) -> bool:
    kept = (str(path.relative_to(ROOT)), line.strip())
    return len(line) > LONGEST_LINE and not any(
        kept[0] == name and kept[1].startswith(start) for name, start in LONG_LINES_KEPT
    )


def test_the_rule_finds_templates():
    assert len(templates()) > 100


def test_no_template_compares_a_state_with_a_literal():
    assert offending(STATE_LITERAL.search) == []


def test_no_template_line_is_wider_than_an_editor():
    too_wide = [
        f"{path.relative_to(ROOT)}:{n} ({len(line)} characters)"
        for path, n, line in template_lines()
        if not is_email_body(path) and too_long(path, line)
    ]
    assert too_wide == []


def test_each_long_line_kept_is_still_there_and_still_long():
    """A kept line that was wrapped or removed leaves the list, so the list only shrinks."""
    for name, start in LONG_LINES_KEPT:
        lines = (ROOT / name).read_text().splitlines()
        still_long = [line for line in lines if len(line) > LONGEST_LINE]
        assert any(line.strip().startswith(start) for line in still_long), f"{name}: {start}"
