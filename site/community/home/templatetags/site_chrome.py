"""The header's navigation and account box and the footer's links, which every page shows:
rendering them was about half of what a member's page cost. Each is kept as a fragment
(community/fragments.py) under what it shows: the navigation for every reader in the same
position on the same address, the footer per position, the account box per member and count
of unread notifications, its logout form's CSRF token put back on each request."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from community.fragments import cached_forms, reader_position

register = template.Library()


def _kept(context: Context, name: str, parts: tuple, **extra: object) -> SafeString:
    """`name` rendered with the page's context, kept under `parts`; its forms' CSRF token
    is this response's."""

    def render(csrf_token: str | None = None) -> str:
        return render_to_string(name, {**context.flatten(), **extra, "csrf_token": csrf_token})

    request = context.get("request")
    if request is None:  # an error page rendered without its request: nothing to key on
        return mark_safe(render())  # noqa: S308 (rendered by a template, escaped there)
    return cached_forms(request, (name, *parts), render)


@register.simple_tag(takes_context=True)
def main_nav(context: Context) -> SafeString:
    request, page = context.get("request"), context.get("page")
    address = (getattr(request, "path", None), getattr(page, "pk", None))
    return _kept(
        context, "includes/_main_nav.html", (*reader_position(context.get("user")), *address)
    )


@register.simple_tag(takes_context=True)
def footer_nav(context: Context) -> SafeString:
    return _kept(context, "includes/_footer_nav.html", reader_position(context.get("user")))


@register.simple_tag(takes_context=True)
def account_box(context: Context, unread: int) -> SafeString:
    user = context["user"]
    shown = (user.pk, user.display_name, user.role, user.is_network_staff)
    parts = (*shown, *reader_position(user), unread)
    return _kept(context, "includes/_account.html", parts, unread=unread)
