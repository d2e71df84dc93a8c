"""Every forum URL × every role: machina's rights come from the role groups (forum/tree.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, MEMBERSHIP, ROLES, cases, check, everyone

from .conftest import make_topic

pytestmark = pytest.mark.django_db

MEMBERS = ("elected", "manager", "partner", "staff")
READERS = {
    "public": set(ROLES) - {"anonymous"},
    "members": set(MEMBERS),
    "theme": set(MEMBERS),
    "elected": {"elected", "staff"},
    "managers": {"manager", "staff"},
}
POSTERS = {**READERS, "public": set(MEMBERS)}


def rights(allowed: set[str]) -> dict:
    """machina sends anonymous visitors to log in and answers 403 to signed-in accounts."""
    return {
        role: LOGIN if role == "anonymous" else (200 if role in allowed else 403) for role in ROLES
    }


MATRIX: dict[str, dict] = {
    "index": everyone(200),
    "forum:public": everyone(200),
    "topic:public": everyone(200),
    "search": everyone(200),
    "moderation_queue": rights({"staff"}),
    "notifications": {role: LOGIN if role == "anonymous" else 200 for role in ROLES},
    "preferences": {role: LOGIN if role == "anonymous" else 200 for role in ROLES},
    "reports": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        **{role: (200 if role == "staff" else 403) for role in MEMBERS},
    },
    "report:public": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        **dict.fromkeys(MEMBERS, 200),
    },
    "report:elected": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        **{role: (200 if role in READERS["elected"] else 404) for role in MEMBERS},
    },
    "mentions": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        **dict.fromkeys(MEMBERS, 200),
    },
}
for _area in ("members", "theme", "elected", "managers"):
    MATRIX[f"forum:{_area}"] = rights(READERS[_area])
    MATRIX[f"topic:{_area}"] = rights(READERS[_area])
for _area in READERS:
    MATRIX[f"topic_create:{_area}"] = rights(POSTERS[_area])
    MATRIX[f"reply:{_area}"] = rights(POSTERS[_area])
# A category holds no topic: nothing to create there.
del MATRIX["topic_create:members"], MATRIX["reply:members"]


@pytest.fixture
def urls(forums, staff_user):
    topics = {
        key: make_topic(forum, staff_user, subject=f"Sujet {key}")
        for key, forum in forums.items()
        if key != "members"
    }
    topics["members"] = topics["theme"]
    built = {
        "index": reverse("forum:index"),
        "search": reverse("discussions:search") + "?q=sujet",
        "moderation_queue": reverse("forum_moderation:queue"),
        "notifications": reverse("discussions:notifications"),
        "preferences": reverse("discussions:preferences"),
        "reports": reverse("discussions:reports"),
        "mentions": reverse("discussions:mention_suggestions") + "?q=Ma",
    }
    for key, forum in forums.items():
        topic = topics[key]
        built[f"forum:{key}"] = reverse("forum:forum", args=[forum.slug, forum.pk])
        built[f"topic:{key}"] = reverse(
            "forum_conversation:topic",
            args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
        )
        built[f"topic_create:{key}"] = reverse(
            "forum_conversation:topic_create", args=[forum.slug, forum.pk]
        )
        built[f"reply:{key}"] = reverse(
            "forum_conversation:post_create",
            args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
        )
        built[f"report:{key}"] = reverse("discussions:report", args=[topic.posts.first().pk])
    return built


@pytest.mark.parametrize(("name", "role", "expected"), cases(MATRIX))
def test_forum_url_by_role(urls, client_for, name, role, expected):
    check(client_for(role), urls[name], expected)


def test_private_areas_are_hidden_from_the_index(client_for, forums):
    for role, hidden in {
        "anonymous": ["members", "elected", "managers"],
        "pending": ["members", "elected", "managers"],
        "partner": ["elected", "managers"],
        "elected": ["managers"],
        "manager": ["elected"],
        "staff": [],
    }.items():
        page = client_for(role).get(reverse("forum:index")).content.decode()
        assert forums["public"].name in page
        for key in ("members", "elected", "managers"):
            assert (forums[key].name in page) is (key not in hidden), (role, key)


def test_posting_as_a_pending_member_is_refused(client_for, forums):
    forum = forums["public"]
    response = client_for("pending").post(
        reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
        {"subject": "Bonjour", "content": "Je voudrais poster"},
    )
    assert response.status_code == 403
    assert not forum.topics.exists()


def test_staff_moderate_every_area(client_for, forums, elected_user):
    topic = make_topic(forums["elected"], elected_user)
    response = client_for("staff").get(
        reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk})
    )
    assert response.status_code == 200
    response = client_for("elected").get(
        reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk})
    )
    assert response.status_code == 403
