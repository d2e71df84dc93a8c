"""Template helpers for the forum pages and the site header: names, avatars, notifications."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.html import format_html

from community.fragments import cached_fragment
from forum import services
from forum.fragments import by_reads, forum_contents, ids
from forum.permissions import RequestTrackingHandler

register = template.Library()
# machina's topic and post links built once (forum.services), never by hand in a template:
# {{ topic|topic_url }}, {{ post|post_url }}, {{ post|post_url:topic }} on a topic's page.
register.filter("topic_url", services.topic_url)
register.filter("post_url", services.post_url)

FORMER_MEMBER = "Ancien membre"


@register.filter
def display_name(user) -> str:
    """The member's display name; never their e-mail address, even as a fallback."""
    if user is None:
        return FORMER_MEMBER
    return user.display_name or FORMER_MEMBER


def initials(name: str) -> str:
    words = [word for word in name.replace(",", " ").split() if word[:1].isalpha()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


@register.simple_tag
def member_avatar(user, size: int = 48) -> str:
    """The member's photo, or their initials in a circle; decorative next to their name."""
    if user is not None and user.avatar:
        return format_html(
            '<img class="avatar" src="{}" alt="" width="{}" height="{}" loading="lazy">',
            user.avatar.url,
            size,
            size,
        )
    return format_html(
        '<span class="avatar avatar-initials" aria-hidden="true">{}</span>',
        initials(display_name(user)),
    )


def _unread_count(request) -> int:
    """The member's unread notifications, counted once per request: the header and the
    forum's menu both show it."""
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = services.unread_notification_count(request.user)
    return request._unread_notifications


@register.simple_tag(takes_context=True)
def unread_notifications_count(context, user) -> int:
    if not user.is_authenticated:
        return 0
    request = context.get("request")
    if request is None or request.user != user:
        return services.unread_notification_count(user)
    return _unread_count(request)


@register.simple_tag(takes_context=True)
def forum_bar(context) -> str:
    """The breadcrumb and the forum's tools (forum/_forum_bar.html), rendered once per place
    and per set of tools the reader is shown."""
    request = context["request"]
    user = request.user
    forum, topic = context.get("forum"), context.get("topic")
    shown = {
        "search_query": context.get("search_query") or "",
        "signed_in": user.is_authenticated,
        "unread": _unread_count(request) if user.is_authenticated else 0,
        "is_staff": getattr(user, "is_network_staff", False),
        "can_access_moderation_queue": (
            request.forum_permission_handler.can_access_moderation_queue(user)
        ),
    }
    place = (
        request.resolver_match.url_name,
        getattr(forum, "pk", None),
        getattr(topic, "pk", None),
    )
    return cached_fragment(
        request,
        ("forum-bar", *place, *shown.values()),
        lambda: get_template("forum/_forum_bar.html").render(
            {"request": request, "forum": forum, "topic": topic, **shown}
        ),
    )


@register.simple_tag(takes_context=True)
def forum_tree(context, visible) -> str:
    """machina's `forum_list` tag for the forums the reader may see (views.visible_forums),
    with the unread forums found without a query per forum (forum/permissions.py); rendered
    once per set of visible and unread forums (forum/fragments.py)."""
    request = context["request"]
    forums = visible.forums
    unread_ids = by_reads(
        request,
        ("unread-forums", ids(forums)),
        lambda: [
            forum.pk
            for forum in RequestTrackingHandler(request).get_unread_forums_from_list(
                request.user, forums
            )
        ],
    )
    loaded = request.forum_permission_handler.loaded_forum
    unread = [loaded(pk) for pk in unread_ids]

    def render() -> str:
        contents = forum_contents(forums)
        data = {"forum_contents": contents, "unread_forums": unread}
        root_level = contents.root_level
        if root_level is not None:
            data.update(
                root_level=root_level,
                root_level_middle=root_level + 1,
                root_level_sub=root_level + 2,
            )
        return get_template("forum/forum_list.html").render(data)

    return cached_fragment(request, ("forums", ids(forums), ids(unread)), render)


@register.simple_tag(takes_context=True)
def forum_ancestors(context, forum) -> list:
    return context["request"].forum_permission_handler.ancestors(forum)
