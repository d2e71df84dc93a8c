from __future__ import annotations

import pytest
from wagtail.models import Page

from community.home.models import HomePage, StandardPage


@pytest.fixture
def home(db) -> HomePage:
    """The site's home page, created by the home app's data migration."""
    return HomePage.objects.get()


@pytest.fixture
def add_page(home):
    def build(title: str, *, parent: Page | None = None, live: bool = True, **fields):
        page = StandardPage(title=title, live=live, **fields)
        (parent or home).add_child(instance=page)
        if live:
            page.save_revision().publish()
        return page

    return build
