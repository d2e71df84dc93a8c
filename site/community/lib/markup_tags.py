"""Markup every template writes the same way, built into every template (settings TEMPLATES
"builtins"), as community.lib.format_filters is for formats."""

from __future__ import annotations

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils.html import format_html

from community.fragments import cached_forms

register = template.Library()


@functools.lru_cache(maxsize=256)
def _asset_url(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_asset_urls(*, setting: str, **kwargs) -> None:
    if setting in {"STATIC_URL", "STORAGES", "STATICFILES_DIRS"}:
        _asset_url.cache_clear()


@register.simple_tag
def asset(path: str) -> str:
    """{% static %}'s address for a file every page links (the stylesheet, the logo), looked
    up once per process: {% static %} asks the app registry and the storage on each use, a
    tenth of what base.html cost a member. Files and their hashed names change with a
    deploy, which starts new processes."""
    return _asset_url(path)


class ScrollTableNode(template.Node):
    def __init__(self, label: template.base.FilterExpression, nodelist: template.NodeList):
        self.label = label
        self.nodelist = nodelist

    def render(self, context) -> str:
        return format_html(
            '<div class="table-scroll" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            self.nodelist.render(context),
        )


@register.tag
def scroll_table(parser, token) -> ScrollTableNode:
    """{% scroll_table "caption-id" %}<table>…</table>{% endscroll_table %}: a table wider than a
    telephone scrolls sideways in a region of its own, which the keyboard reaches (tabindex) and
    screen readers name after the table's caption or heading (the id)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the id of what names the table")
    nodelist = parser.parse(("endscroll_table",))
    parser.delete_first_token()
    return ScrollTableNode(parser.compile_filter(bits[1]), nodelist)


class KeptNode(template.Node):
    def __init__(self, parts: list[template.base.FilterExpression], nodelist: template.NodeList):
        self.parts = parts
        self.nodelist = nodelist

    def render(self, context) -> str:
        request = context.get("request")
        if request is None:  # an error page rendered without its request: nothing to key on
            return self.nodelist.render(context)

        def render(csrf_token: str) -> str:
            with context.push(csrf_token=csrf_token):
                return self.nodelist.render(context)

        return cached_forms(request, tuple(part.resolve(context) for part in self.parts), render)


@register.tag
def kept(parser, token) -> KeptNode:
    """{% kept "name" part… %}…{% endkept %}: the block rendered once and kept
    (community.fragments.cached_forms) under the content generation and the parts, which
    must name all that it shows of the reader (their rights, their marks…); its forms get
    each response's CSRF token. A kept block may hold another, kept on its own."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes what the block varies on")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode([parser.compile_filter(bit) for bit in bits[1:]], nodelist)
