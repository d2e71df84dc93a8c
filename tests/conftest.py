from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db.models.signals import post_migrate
from django.test import Client

from community import page_cache
from community.accounts.models import MembershipStatus, Role

from .factories import make_cafe, make_commune, make_member

pytest_plugins = ["tests.services", "tests.background", "tests.processes", "tests.search.engines"]


def _restore_migration_rows(sender, **kwargs) -> None:
    """Transactional tests flush the database afterwards, and with it the rows migrations
    created (Wagtail's root page and collection, the home page and its Site). Flushing sends
    post_migrate, so put them back then; accounts' handler, which runs after every app's,
    then gives staff their rights on the root page again."""
    if sender.label != "home":  # post_migrate is sent once per app: act once per flush
        return
    from wagtail.models import Collection, Locale, Page, Site

    from community.home.models import HomePage

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Site.objects.exists():
        locale, _ = Locale.objects.get_or_create(language_code="fr")
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=locale)
        )
        home = HomePage.objects.first() or root.add_child(
            instance=HomePage(title="Réseau 1000 cafés", slug="accueil", locale=locale)
        )
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


post_migrate.connect(_restore_migration_rows, dispatch_uid="tests.restore_migration_rows")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and kept pages live in the cache; each test starts with none."""
    cache.clear()
    page_cache.forget_passes()
    yield
    cache.clear()


@pytest.fixture
def media_roots(settings, tmp_path):
    """This test's uploads in folders of its own: (public MEDIA_ROOT, PRIVATE_MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def commune():
    return make_commune()


@pytest.fixture
def cafe(commune):
    return make_cafe(commune=commune)


@pytest.fixture
def elected_user(db):
    return make_member(Role.ELECTED, display_name="Marie Maire")


@pytest.fixture
def manager_user(cafe):
    return make_member(Role.MANAGER, cafe=cafe, display_name="Gaston Gérant")


@pytest.fixture
def staff_user(db):
    return make_member(Role.STAFF, display_name="Édith Équipe")


@pytest.fixture
def partner_user(db):
    return make_member(Role.PARTNER, display_name="Paul Partenaire", organisation="Cie du Pré")


@pytest.fixture
def pending_user(db):
    return make_member(
        Role.ELECTED, status=MembershipStatus.PENDING, display_name="Camille Candidate"
    )


@pytest.fixture
def refused_user(db):
    return make_member(Role.MANAGER, status=MembershipStatus.REFUSED, display_name="René Refusé")


ROLE_FIXTURES = {
    "elected": "elected_user",
    "manager": "manager_user",
    "staff": "staff_user",
    "partner": "partner_user",
    "pending": "pending_user",
    "refused": "refused_user",
}


@pytest.fixture
def client_for(request, db):
    """client_for("manager") is a test client logged in as that role ("anonymous" too)."""

    def build(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
        return client

    return build
