from __future__ import annotations

import pytest
from wagtail.models import Page

from community.home.models import StandardPage
from toolkit.models import ToolkitIndexPage, ToolkitPage

pytestmark = pytest.mark.django_db


def test_index_lives_under_the_home_page_at_its_french_address(index, home):
    assert index.get_parent().pk == home.pk
    assert index.url == "/boites-a-outils/"


def test_only_one_index(index, home):
    assert not ToolkitIndexPage.can_create_at(home)


def test_index_only_under_the_home_page(home):
    about = StandardPage(title="À propos", intro="")
    home.add_child(instance=about)
    assert ToolkitIndexPage.can_create_at(home)
    assert not ToolkitIndexPage.can_create_at(Page.get_first_root_node())
    assert not ToolkitIndexPage.can_create_at(about)


def test_toolkits_only_under_the_index(index, home, make_toolkit):
    toolkit = make_toolkit()
    assert ToolkitPage.can_create_at(index)
    assert not ToolkitPage.can_create_at(home)
    assert not ToolkitPage.can_create_at(toolkit)
    assert not StandardPage.can_create_at(index)
    assert index.allowed_subpage_models() == [ToolkitPage]
