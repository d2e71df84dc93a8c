"""Finding 5: the forum's member pages (names, avatars, message counts) belong to the members'
directory: approved members see approved members, staff see every account, anonymous
visitors and pending or refused accounts see none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.accounts.models import Role
from tests.factories import make_member
from tests.matrix import cases, check, members_only

pytestmark = pytest.mark.django_db

# Whose page is asked for → what each role gets.
MATRIX = {
    "approved": members_only(200),
    "pending": {**members_only(404), "staff": 200},
    "refused": {**members_only(404), "staff": 200},
}


@pytest.fixture
def owners(pending_user, refused_user):
    approved = make_member(Role.MANAGER, display_name="Alex Martin")
    return {"approved": approved, "pending": pending_user, "refused": refused_user}


@pytest.mark.parametrize("page", ["profile", "user_posts"])
@pytest.mark.parametrize(("owner", "role", "expected"), cases(MATRIX))
def test_member_pages_by_role(client_for, owners, page, owner, role, expected):
    url = reverse(f"forum_member:{page}", kwargs={"pk": owners[owner].pk})
    check(client_for(role), url, expected)


def test_an_anonymous_visitor_learns_no_members_name(client, owners):
    response = client.get(reverse("forum_member:profile", kwargs={"pk": owners["approved"].pk}))
    assert response.status_code == 302
    assert "Alex Martin" not in response.content.decode()
