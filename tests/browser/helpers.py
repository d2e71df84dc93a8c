"""Helpers shared by the browser tests."""

from __future__ import annotations

import re
import time
from importlib import import_module

import pytest

from tests.factories import PASSWORD, totp_code

from .axe import axe_violations, describe

# A TOTP code is accepted once: the last 30-second window each account signed in with.
_last_totp_window: dict[str, int] = {}
# Seconds of a window in which a code still has time to be typed and checked in that window.
TOTP_SAFE_SECONDS = 24

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
    if path_of(page).startswith("/comptes/2fa/authenticate/"):
        # Staff accounts have an authenticator app (tests.factories.TOTP_SECRET).
        # A code typed in the last seconds of its 30-second window reaches the server in the
        # next one, where it is refused: the page stays on this form and the test goes on
        # signed out. Wait for a fresh window instead, as a person would for a new code.
        while (
            _last_totp_window.get(email) == int(time.time()) // 30
            or time.time() % 30 > TOTP_SAFE_SECONDS
        ):
            time.sleep(0.5)
        _last_totp_window[email] = int(time.time()) // 30
        page.fill("input[name=code]", totp_code())
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
        assert not path_of(page).startswith("/comptes/2fa/authenticate/"), "code refused"
    return page


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


# The widths at which no page may scroll sideways, from a small phone to a desktop.
WIDTHS = (320, 390, 768, 1024, 1280, 1440)
# How many pixels the page scrolls sideways (0 or less: none).
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def assert_fits(page, label: str) -> None:
    """No sideways scroll at any of WIDTHS; the viewport is back at 1280 px afterwards."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        overflow = page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{label} scrolls sideways by {overflow} px at {width} px"
    page.set_viewport_size({"width": 1280, "height": 800})


def audit(page, label: str) -> None:
    """axe finds no violation of any impact, and the page fits every one of WIDTHS."""
    violations = axe_violations(page)
    assert violations == [], f"{label}:\n{describe(violations)}"
    assert_fits(page, label)


def restore_events_catalogue() -> None:
    """Put back what the events migrations created (catalogue kinds, which the network
    offers, the Guinguette's vehicles, the report's funders) when an earlier transactional
    test's flush removed them, before seeding the demo on top.

    The kinds' data functions run with today's models; 0007's vehicles and funders are made
    from its lists, as its function also reads a field a later migration removed.
    """
    from django.apps import apps

    from events.models import AnimationKind, Funder, GuinguetteVehicle

    if AnimationKind.objects.exists():
        return
    import_module("events.migrations.0002_seed_animation_kinds").seed_kinds(apps, None)
    import_module("events.migrations.0005_kinds_offered_by_network").offer(apps, None)
    guinguettes = import_module("events.migrations.0007_guinguette_and_funders_data")
    for name, territory, _regions in guinguettes.VEHICLES:
        GuinguetteVehicle.objects.get_or_create(name=name, defaults={"territory": territory})
    for name, type_ in guinguettes.FUNDERS:
        Funder.objects.get_or_create(name=name, defaults={"type": type_})
    AnimationKind.objects.filter(slug=guinguettes.GUINGUETTE_KIND).update(is_bookable=False)
