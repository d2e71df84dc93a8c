"""Templates stay readable and speak the models' words: a test per rule, so that it holds."""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from django.db import models

ROOT = Path(__file__).resolve().parents[1]
# A state compared with a literal in a template is a state retyped: ask the model instead
# (booking.is_held, registration.is_confirmed, user.is_elected, notification.is_mention…).
STATE_LITERAL = re.compile(
    r"""\.(status|state|stage|role|membership_status|audience|access)\s*(==|!=)\s*['"]"""
    r"""|['"]\s*(==|!=)\s*[\w.]+\.(status|state|stage|role|membership_status|audience|access)\b"""
)
# Any string compared in a template, whatever it is compared with (`kind == "hour"`).
COMPARED_LITERAL = re.compile(r"""(?:==|!=)\s*(["'])(.*?)\1|(["'])(.*?)\3\s*(?:==|!=)""")
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


@functools.cache
def model_constants() -> frozenset[str]:
    """The values of the project's own choices (states, statuses, kinds, roles, audiences…),
    which the models name as constants: a template that types one compares a retyped state."""

    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    def is_ours(choices: type) -> bool:
        path = Path(sys.modules[choices.__module__].__file__).resolve()
        return ROOT in path.parents and ".venv" not in path.parts

    return frozenset(
        value
        for choices in subclasses(models.Choices)
        if is_ours(choices)
        for value in choices.values
        if isinstance(value, str)
    )


def compares_a_state(line: str) -> bool:
    literals = {a or b for _, a, _, b in COMPARED_LITERAL.findall(line)}
    return bool(STATE_LITERAL.search(line) or literals & model_constants())


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
    # paragraph in the reader's mail client (so is a line of a step's text, included in a
    # body). Subjects are folded into one line, so they wrap.
    return "emails" in path.parent.parts and not path.name.endswith("_subject.txt")


def too_long(path: Path, line: str) -> bool:
    kept = (str(path.relative_to(ROOT)), line.strip())
    return len(line) > LONGEST_LINE and not any(
        kept[0] == name and kept[1].startswith(start) for name, start in LONG_LINES_KEPT
    )


def test_the_rule_finds_templates():
    assert len(templates()) > 100


def test_no_template_compares_a_state_with_a_literal():
    assert offending(compares_a_state) == []


def test_the_state_rule_finds_a_retyped_state_whatever_it_is_compared_with():
    assert "hour" in model_constants()  # webinars' ReminderKind.HOUR
    assert compares_a_state('{% if booking.state == "held" %}')
    assert compares_a_state("{% if kind == 'hour' %}Dans une heure{% endif %}")
    assert compares_a_state('{% elif "mention" != item.kind %}')
    # What no model defines stays free: form widgets, URL names, a view's action slugs.
    assert not compares_a_state('{% if field.widget_type == "checkbox" %}')
    assert not compares_a_state('{% if name == "topic_update_to_sticky" %}')


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
