"""Markup every template writes the same way, built into every template (settings TEMPLATES
"builtins"), as community.lib.format_filters is for formats."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


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
