"""forum.views.KeptPagePaginator: a forum's or topic's page builds its queryset only when its
items are read (a kept page is shown from the cache without them), and then reads the right
slice."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from forum.views import KeptPagePaginator


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
