from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from community.accounts.audience import Audience
from community.home.models import HomePage
from community.lib.formats import PARIS
from webinars.models import WebinarIndexPage, WebinarPage

# A fixed future moment: tests that pass `now` explicitly never depend on the clock.
START = datetime(2030, 12, 5, 18, 0, tzinfo=PARIS)  # a Thursday


@pytest.fixture
def home(db) -> HomePage:
    """The home page and default Site; recreated when a transactional test flushed the
    rows the home app's data migration created."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    locale, _ = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    home = HomePage.objects.first() or root.add_child(
        instance=HomePage(title="Réseau 1000 cafés", slug="accueil", locale=locale)
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


@pytest.fixture
def index(home) -> WebinarIndexPage:
    page = home.add_child(instance=WebinarIndexPage(title="Webinaires", slug="webinaires"))
    page.save_revision().publish()
    return page


@pytest.fixture
def make_webinar(index):
    """make_webinar(slug, start=…, audience=…, capacity=…) adds and publishes a webinar;
    by default it starts in a week (relative to the real clock) and lasts 90 minutes."""

    def build(
        slug: str = "webinaire",
        *,
        title: str | None = None,
        start: datetime | None = None,
        minutes: int = 90,
        audience: str = Audience.MEMBERS,
        capacity: int = 30,
        **fields,
    ) -> WebinarPage:
        start = start or timezone.now() + timedelta(days=7)
        fields.setdefault("join_link", "https://visio.example.org/b/salle-1000-cafes")
        page = index.add_child(
            instance=WebinarPage(
                title=title or f"Webinaire {slug}",
                slug=slug,
                start=start,
                end=start + timedelta(minutes=minutes),
                audience=audience,
                capacity=capacity,
                speakers="Camille Roux, équipe 1000 cafés",
                description="<p>Les aides pour <b>rouvrir</b> le café.</p>",
                **fields,
            )
        )
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return build
