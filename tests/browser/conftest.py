"""Headless Chromium (Debian's, never a downloaded one) driven by Playwright's sync API.

Every browser test is marked `browser` (skips without Chromium or axe-core on a laptop,
fails in CI) and runs against pytest-django's live_server, hence a transactional database:
the rows a migration created are gone after the first such test, so `home_site` puts the
Wagtail home page and its Site back.
"""

from __future__ import annotations

import os

import pytest

from .chromium import CHROMIUM, LAUNCH_ARGS, open_context


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last (after pytest-django's own ordering): see `browser`."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session.

    Playwright's sync API keeps its asyncio loop marked as running in the main thread for
    as long as it lives, so Django would refuse every ORM call from the tests (and pytest-
    django's database set-up) with SynchronousOnlyOperation. DJANGO_ALLOW_ASYNC_UNSAFE is
    therefore set while the browser lives, which is why the browser tests run last.
    """
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def home_site(transactional_db):
    """The home page and default Site that migration home.0002 creates, recreated if a
    previous transactional test flushed them. live_server answers on "localhost", the
    Site's hostname; Wagtail's default-site fallback covers any other port."""
    from wagtail.models import Locale, Page, Site

    from community.home.models import HomePage

    if Site.objects.filter(is_default_site=True).exists():
        return Site.objects.get(is_default_site=True)
    locale, _ = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Réseau 1000 cafés",
                slug="accueil",
                locale=locale,
                intro="Le réseau des communes rurales qui rouvrent et font vivre leur café.",
            )
        )
    return Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


@pytest.fixture
def csp_violations() -> list[str]:
    """What the policy blocked in this test's pages; a test expecting a block empties it."""
    return []


@pytest.fixture
def new_page(live_server, home_site, browser, csp_violations):
    """new_page() opens a page in a fresh browser context (its own cookies). The test fails
    if the Content-Security-Policy blocked anything on any of its pages: the site's own
    scripts and styles must all pass it."""
    contexts = []

    def open_page():
        context = open_context(browser, live_server.url, csp_violations)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)


@pytest.fixture
def page(new_page):
    return new_page()
