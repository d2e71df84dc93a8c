from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from community.accounts.models import MembershipStatus, Role

from .factories import make_cafe, make_commune, make_member

pytest_plugins = ["tests.services"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


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
