"""Helpers shared by the browser tests."""

from __future__ import annotations

import re

import pytest

from tests.factories import PASSWORD

# Each test module here starts with: pytestmark = BROWSER_TEST
BROWSER_TEST = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email: str, password: str = PASSWORD, next_url: str | None = None):
    """Sign in through the real login form; returns the page where the user lands."""
    url = "/comptes/login/" + (f"?next={next_url}" if next_url else "")
    page.goto(url)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    return page


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)
