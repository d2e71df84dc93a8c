"""Text helpers: accent folding, safe highlighted excerpts."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from community.lib.searchable import MARK_POST, MARK_PRE

_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    base = next((c for c in decomposed if not unicodedata.combining(c)), char)
    lower = base.lower()
    return lower if len(lower) == 1 else base


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_match(match: re.Match) -> str:
    return _fold_char(match.group())


def fold(value: str) -> str:
    """Lowercase without accents, one character for one character (positions are kept)."""
    # A full reindex folds every text: ASCII characters (most of French text) are lowered
    # in C, only the others go through _fold_char. Its results lower to themselves.
    if value.isascii():
        return value.lower()
    return _NON_ASCII.sub(_fold_match, value).lower()


def plain(value: str) -> str:
    """Rich text to plain text: tags dropped, entities kept as text, highlight marks removed."""
    import html

    value = html.unescape(_TAGS.sub(" ", value or ""))
    value = value.replace(MARK_PRE, "").replace(MARK_POST, "")
    return _SPACES.sub(" ", value).strip()


def terms(query: str) -> list[str]:
    return [t for t in _WORD.findall(fold(query)) if len(t) > 1 or t.isdigit()]


def highlighted(value: str) -> SafeString:
    """Meilisearch output (with private-use marks) to HTML: escape first, then <mark>."""
    escaped = escape(value or "")
    return mark_safe(escaped.replace(MARK_PRE, "<mark>").replace(MARK_POST, "</mark>"))


def database_excerpt(text: str, query_terms: list[str], width: int = 220) -> SafeString:
    """A window of ``text`` around the first term found, every term occurrence marked."""
    if not text:
        return mark_safe("")
    folded = fold(text)
    start = 0
    positions = [folded.find(t) for t in query_terms if t in folded]
    if positions:
        start = max(0, min(positions) - width // 3)
        space = text.rfind(" ", 0, start)
        start = space + 1 if start and space >= 0 else start
    end = min(len(text), start + width)
    window, folded_window = text[start:end], folded[start:end]
    spans: list[tuple[int, int]] = []
    for term in query_terms:
        for match in re.finditer(re.escape(term), folded_window):
            spans.append(match.span())
    spans.sort()
    parts, cursor = [], 0
    for begin, finish in spans:
        if begin < cursor:
            continue
        parts.append(escape(window[cursor:begin]))
        parts.append(f"<mark>{escape(window[begin:finish])}</mark>")
        cursor = finish
    parts.append(escape(window[cursor:]))
    html = "".join(parts)
    if start > 0:
        html = "…" + html
    if end < len(text):
        html += "…"
    return mark_safe(html)
