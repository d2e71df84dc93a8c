from __future__ import annotations

import pytest
from wagtail.models import Page

from community.home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_lives_only_at_the_root(home):
    root = Page.get_first_root_node()
    assert home.get_parent().pk == root.pk
    assert HomePage.can_exist_under(root)
    assert not HomePage.can_exist_under(home)


def test_only_one_home_page(home):
    root = Page.get_first_root_node()
    assert HomePage.max_count == 1
    assert not HomePage.can_create_at(root)


def test_standard_page_is_created_under_the_home_page(home, add_page):
    root = Page.get_first_root_node()
    assert StandardPage.can_create_at(home)
    about = add_page("À propos")
    assert StandardPage.can_create_at(about)
    assert not StandardPage.can_create_at(root)


def test_standard_page_allowed_in_home_page_subpage_types(home):
    assert StandardPage in HomePage.allowed_subpage_models()
