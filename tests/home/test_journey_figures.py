"""The home page's computed figures are those of the last complete year."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from community.home.blocks import JourneyFiguresBlock
from community.lib.formats import PARIS
from community.page_cache import recording_changes

pytestmark = pytest.mark.django_db


def test_a_kept_page_with_the_figures_is_not_served_past_new_year():
    block = JourneyFiguresBlock()
    with recording_changes() as changes:
        context = block.get_context(block.to_python({"shown": ["received"]}))
    this_year = timezone.localdate().year
    assert context["year"] == this_year - 1
    assert changes == [datetime(this_year + 1, 1, 1, tzinfo=PARIS)]
