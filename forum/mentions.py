"""@mentions in posts.

Two forms name a member:
- `@[Nom affiché](#u123)`, what the suggestions insert: member 123, whatever the label says,
  so two members sharing a display name can be told apart;
- `@[Nom affiché]`, typed by hand: the one member with that display name, nobody when the
  name is shared.

Only active approved members can be mentioned; whether they may read the forum is checked
by the notification service. A mention is shown as a link to the member's forum profile
with their display name at the time of posting, never the label the author typed, so a
label cannot pass one member off as another.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.html import escape, format_html

if TYPE_CHECKING:
    from community.accounts.models import User

MENTION = re.compile(r"@\[([^\[\]\n]{1,80})\](?:\(#u(\d{1,10})\))?")
MAX_MENTIONS = 10
# A tag of the sanitiser's output: nh3 always double-quotes attribute values and escapes
# the quotes inside them, so a `>` inside a value does not end the tag here.
TAG = re.compile(r'(<(?:[^>"]|"[^"]*")*>)')

Key = tuple[str, int | str]


def _key(match: re.Match) -> Key:
    if match.group(2):
        return ("id", int(match.group(2)))
    return ("name", " ".join(match.group(1).split()).lower())


def handle(user: User) -> str:
    """The text the suggestions insert for this member."""
    label = " ".join(re.sub(r"[\[\]]", " ", user.display_name).split())
    return f"@[{label}](#u{user.pk})"


def resolve(text: str) -> dict[Key, User]:
    """The members the text mentions, by mention key (the first MAX_MENTIONS mentions)."""
    from community.accounts.models import MembershipStatus, User

    keys: list[Key] = []
    for match in MENTION.finditer(text or ""):
        key = _key(match)
        if key[1] and key not in keys:
            keys.append(key)
    keys = keys[:MAX_MENTIONS]
    mentionable = User.objects.filter(is_active=True, membership_status=MembershipStatus.APPROVED)
    found: dict[Key, User] = {}
    ids = [value for kind, value in keys if kind == "id"]
    if ids:
        for user in mentionable.filter(pk__in=ids):
            found[("id", user.pk)] = user
    for kind, name in keys:
        if kind == "name":
            matches = list(mentionable.filter(display_name__iexact=name)[:2])
            if len(matches) == 1:
                found[(kind, name)] = matches[0]
    return found


def plain_text(text: str) -> str:
    """The text with each mention as « @Nom affiché » (e-mail excerpts), without queries:
    the handle's label is what the author saw when the suggestion was inserted."""
    return MENTION.sub(lambda match: "@" + " ".join(match.group(1).split()), text or "")


def render_with_mentions(text: str, to_html: Callable[[str], str]) -> tuple[str, list[User]]:
    """Render the text with to_html (markdown then sanitiser), mentions as links, and say
    which members it mentions: those whose mention reads as one, in text or a link's text.

    Each resolved mention goes through to_html as a random run of letters and digits, which
    markdown and the sanitiser leave alone, and becomes a link afterwards in text only: in
    an attribute it becomes its original text again (escaped, and never at the start of a
    URL scheme since it starts with « @ »), inside a link the plain name, inside code the
    original text (quoted syntax, which mentions nobody).
    """
    members = resolve(text) if "@[" in (text or "") else {}
    if not members:
        return to_html(text), []
    nonce = secrets.token_hex(8)
    stashed: list[tuple[User, str]] = []

    def stash(match: re.Match) -> str:
        user = members.get(_key(match))
        if user is None:
            return match.group(0)
        stashed.append((user, match.group(0)))
        return f"mention{nonce}x{len(stashed) - 1}x"

    html = to_html(MENTION.sub(stash, text))
    placeholder = re.compile(f"mention{nonce}x(\\d+)x")
    parts: list[str] = []
    mentioned: dict[int, User] = {}
    in_link = in_code = False
    for part in TAG.split(html):
        is_tag = part.startswith("<")
        if is_tag:
            name = re.match(r"</?([a-z0-9]+)", part)
            tag = name.group(1) if name else ""
            if tag == "a":
                in_link = not part.startswith("</")
            elif tag in ("code", "pre"):
                in_code = not part.startswith("</")
        shown = "original" if is_tag or in_code else "name" if in_link else "link"
        if shown != "original":
            for index in placeholder.findall(part):
                user = stashed[int(index)][0]
                mentioned.setdefault(user.pk, user)
        parts.append(
            placeholder.sub(lambda m, shown=shown: _show(*stashed[int(m[1])], shown), part)
        )
    return "".join(parts), list(mentioned.values())


def _show(user: User, original: str, shown: str) -> str:
    if shown == "original":
        return escape(original)
    if shown == "name":
        return escape("@" + user.display_name)
    return format_html(
        '<a class="mention" href="{}">@{}</a>',
        reverse("forum_member:profile", kwargs={"pk": user.pk}),
        user.display_name,
    )
