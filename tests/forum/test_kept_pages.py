"""forum.views.KeptPagePaginator: a forum's or topic's page builds its queryset only when its
items are read (a kept page is shown from the cache without them), and then reads the right
slice."""

from __future__ import annotations

import pytest
from django.utils.functional import SimpleLazyObject
from machina.apps.forum import views as machina_forum_views

from forum.views import KeptPagePaginator

from .test_unread import forum_url


def test_the_items_are_built_only_when_read_and_are_the_pages_slice():
    builds = []

    def build() -> list[int]:
        builds.append(1)
        return list(range(1, 46))

    paginator = KeptPagePaginator(SimpleLazyObject(build), per_page=20)
    paginator.count = 45  # known without the items, as the views keep it
    page = paginator.page(3)
    assert (page.number, page.has_next(), page.has_previous(), paginator.num_pages) == (
        3,
        False,
        True,
        3,
    )
    assert builds == []
    assert list(page.object_list) == list(range(41, 46))
    assert builds == [1]


@pytest.mark.django_db
def test_a_forum_page_read_again_builds_no_topic_queryset(client_for, forums, monkeypatch):
    """The second reading comes from the kept page: machina's queryset is not even built."""
    built = []
    original = machina_forum_views.ForumView.get_queryset

    def counted(view):
        built.append(view.kwargs["pk"])
        return original(view)

    monkeypatch.setattr(machina_forum_views.ForumView, "get_queryset", counted)
    reader, url = client_for("elected"), forum_url(forums["public"])
    assert reader.get(url).status_code == 200
    assert len(built) == 1
    assert reader.get(url).status_code == 200
    assert len(built) == 1
