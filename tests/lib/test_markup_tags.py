"""{% scroll_table %}: the one way a wide table scrolls, reachable by keyboard and named."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError


def test_a_wide_table_scrolls_in_a_region_named_by_its_caption():
    html = Template(
        '{% scroll_table caption_id %}<table><caption id="{{ caption_id }}">Par café</caption>'
        "</table>{% endscroll_table %}"
    ).render(Context({"caption_id": "par-cafe"}))
    assert html == (
        '<div class="table-scroll" role="region" aria-labelledby="par-cafe" tabindex="0">'
        '<table><caption id="par-cafe">Par café</caption></table></div>'
    )


def test_the_region_name_is_escaped():
    html = Template("{% scroll_table label %}{% endscroll_table %}").render(
        Context({"label": '"><script>'})
    )
    assert "<script>" not in html and 'aria-labelledby="&quot;&gt;&lt;script&gt;"' in html


def test_a_table_without_a_name_is_refused_when_the_template_loads():
    with pytest.raises(TemplateSyntaxError):
        Template("{% scroll_table %}<table></table>{% endscroll_table %}")
