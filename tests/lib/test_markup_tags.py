"""{% scroll_table %}: the one way a wide table scrolls, reachable by keyboard and named;
{% asset %}: the address {% static %} writes, looked up once."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import override_settings


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


def test_an_asset_has_the_address_static_writes_and_follows_the_settings():
    def both() -> tuple[str, str]:
        html = Template("{% load static %}{% asset 'css/site.css' %}|{% static 'css/site.css' %}")
        return tuple(html.render(Context()).split("|"))

    asset, static = both()
    assert asset == static and asset.endswith("css/site.css")
    with override_settings(STATIC_URL="https://cdn.example.org/statique/"):
        asset, static = both()
        assert asset == static == "https://cdn.example.org/statique/css/site.css"
    assert both()[0] == both()[1] != "https://cdn.example.org/statique/css/site.css"


def test_a_kept_block_renders_once_and_each_response_gets_its_own_csrf_token(rf):
    """{% kept %}: the block (and a kept block inside it) is rendered for the first reader
    only; the forms of every reader's copy carry that reader's token, never another's."""
    from django.middleware.csrf import _does_token_match
    from django.template import RequestContext

    renders = []
    template = Template(
        '{% kept "outer" variant %}{{ count_outer }}'
        '{% kept "inner" %}{{ count_inner }}<form>{% csrf_token %}</form>{% endkept %}'
        "{% endkept %}"
    )

    def render(secret: str, variant: int) -> str:
        request = rf.get("/")
        request.META["CSRF_COOKIE"] = secret
        context = {
            "variant": variant,
            "count_outer": lambda: renders.append("outer") or "",
            "count_inner": lambda: renders.append("inner") or "",
        }
        return template.render(RequestContext(request, context))

    for secret, variant in (("a" * 32, 1), ("b" * 32, 1), ("c" * 32, 2)):
        html = render(secret, variant)
        token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        assert _does_token_match(token, secret), (secret, html)
    # The second reader got both blocks kept; the third variant re-rendered the outer only.
    assert renders == ["outer", "inner", "outer"]
