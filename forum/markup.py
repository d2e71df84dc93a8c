"""Markdown to HTML for posts (machina's MACHINA_MARKUP_LANGUAGE), then sanitised by nh3.

markdown2's own safe mode escapes raw HTML but lets `javascript:` links through (the issue's
reason for this module), so its output is never trusted: nh3 keeps only the tags, attributes
and URL schemes listed here, whatever markdown produced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import markdown2
import nh3

from .mentions import render_with_mentions

if TYPE_CHECKING:
    from community.accounts.models import User

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
# Relative URLs stay allowed (links to other pages of the site); every other scheme, among
# them javascript:, data: and vbscript:, is dropped with its attribute.
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"
# Tags whose content is removed with them, not kept as text.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}


def render(text: str) -> str:
    """Render a post's markdown to HTML that is safe to insert in a page, mentions as links
    to the members' profiles."""
    return render_with_mentions(text or "", _markdown_then_sanitise)[0]


def mentioned_members(text: str) -> list[User]:
    """The members a post mentions, as its readers see it: not a mention quoted in code."""
    return render_with_mentions(text or "", _markdown_then_sanitise)[1]


def _markdown_then_sanitise(text: str) -> str:
    html = markdown2.markdown(
        text,
        safe_mode="escape",
        extras={"break-on-newline": True, "fenced-code-blocks": None, "tables": None},
    )
    return sanitise(html)


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
