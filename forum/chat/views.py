"""Chat pages: the list of rooms and a room that works as a plain page without JavaScript.

With JavaScript the room page connects to /ws/chat/<slug>/ (static/chat/chat.js) and the
same forms go through the websocket instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.accounts.decorators import member_required
from community.fragments import cached_forms
from community.lib.refusals import refusal_as_message, refusal_on_form

from ..fragments import shared
from . import presence, services
from .access import can_delete, can_join, joinable_rooms
from .forms import DirectConversationForm, MessageForm
from .models import Audience, Message, ReadMark, Room
from .services import HISTORY_SIZE, MAX_LENGTH, ChatError


def room_title(room: Room, user) -> str:
    """A direct conversation is named after the other member (participants prefetched)."""
    if not room.is_direct:
        return room.name
    others = [member.display_name for member in room.participants.all() if member.pk != user.pk]
    return f"Conversation avec {', '.join(others)}" if others else room.name


def _room_for(request: HttpRequest, slug: str) -> Room:
    # The room's row is the same for every member (a direct conversation's participants are
    # asked again by can_join and room_title).
    room = shared(("chat-room", slug), lambda: Room.objects.filter(slug=slug).first())
    if room is None:
        raise Http404
    if not can_join(request.user, room):
        raise PermissionDenied("Vous n'avez pas accès à ce salon.")
    return room


@member_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    last_read = ReadMark.objects.filter(room=OuterRef("pk"), user=user).values("last_read_id")[:1]
    rooms = (
        joinable_rooms(user)
        .annotate(last_read=Coalesce(Subquery(last_read), Value(0), output_field=IntegerField()))
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__id__gt=F("last_read")) & ~Q(messages__author=user),
            )
        )
        .prefetch_related("participants")
        .order_by("audience", "name")
    )
    rooms = list(rooms)
    for room in rooms:
        room.title = room_title(room, user)
    return render(
        request,
        "chat/index.html",
        {
            "rooms": [room for room in rooms if not room.is_direct],
            "conversations": [room for room in rooms if room.is_direct],
            "direct_form": DirectConversationForm(user=user),
        },
    )


@member_required
@require_POST
def open_direct(request: HttpRequest) -> HttpResponse:
    form = DirectConversationForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choisissez un membre dans la liste."))
        return redirect("chat:index")
    with refusal_as_message(request):
        room = services.open_direct_conversation(request.user, form.cleaned_data["member"])
        return redirect("chat:room", slug=room.slug)
    return redirect("chat:index")


def _parse_id(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@member_required
def room(request: HttpRequest, slug: str) -> HttpResponse:
    room = _room_for(request, slug)
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            with refusal_on_form(form, "body"):
                message = services.post_message(request.user, room, form.cleaned_data["body"])
                # Post/Redirect/Get: a reload does not send the message twice.
                return redirect(message)
    before = _parse_id(request.GET.get("avant"))
    shown = shared(("chat-page", room.pk, before), lambda: _page_of(room, before))
    if before is None:
        services.mark_read(request.user, room, shown["last_id"])
    user = request.user
    # The messages show edit and delete buttons by authorship and staff rights: the key says
    # them, with the reader's identity only when they wrote one of these messages.
    authored = user.pk in shown["authors"]
    messages_html = cached_forms(
        request,
        ("chat-messages", room.pk, before, user.pk if authored else "-", user.is_network_staff),
        lambda csrf_token: _render_messages(room, before, user, csrf_token),
    )
    return render(
        request,
        "chat/room.html",
        {
            "room": room,
            "title": room_title(room, user),
            "messages_html": messages_html,
            "older": shown["older"],
            "paged": before is not None,
            "last_id": shown["last_id"],
            "revision": shown["revision"],
            "present": presence.members(room.pk) or [],
            "form": form,
            "max_length": MAX_LENGTH,
            "is_direct": room.audience == Audience.DIRECT,
        },
        status=400 if form.errors else 200,
    )


def _page(room: Room, before: int | None) -> tuple[list[Message], bool]:
    page = services.latest(room, before=before, size=HISTORY_SIZE + 1)
    has_older = len(page) > HISTORY_SIZE
    return (page[1:] if has_older else page), has_older


def _page_of(room: Room, before: int | None) -> dict:
    """What every member sees alike of a page of the room."""
    # Read before the messages: a change committed in between is sent again by sync, not lost.
    revision = services.revision(room)
    page, has_older = _page(room, before)
    return {
        "revision": revision,
        "last_id": page[-1].pk if page else 0,
        "older": page[0].pk if has_older and page else None,
        "authors": {message.author_id for message in page},
    }


def _render_messages(room: Room, before: int | None, user, csrf_token: str) -> str:
    page, _has_older = _page(room, before)
    for message in page:
        message.mine = message.author_id == user.pk
        message.deletable = can_delete(user, message.author_id)
    return render_to_string(
        "chat/_messages.html", {"room": room, "chat_messages": page, "csrf_token": csrf_token}
    )


def _message_in_room(request: HttpRequest, room: Room, message_id: int) -> Message:
    return get_object_or_404(room.messages.select_related("author"), pk=message_id)


@member_required
def edit(request: HttpRequest, slug: str, message_id: int) -> HttpResponse:
    room = _room_for(request, slug)
    message = _message_in_room(request, room, message_id)
    if message.author_id != request.user.pk:
        raise PermissionDenied("Vous ne pouvez modifier que vos propres messages.")
    form = MessageForm(initial={"body": message.body})
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            with refusal_on_form(form, "body"):
                services.edit_message(request.user, room, message.pk, form.cleaned_data["body"])
                return redirect(message)
    return render(
        request,
        "chat/edit.html",
        {"room": room, "title": room_title(room, request.user), "message": message, "form": form},
        status=400 if form.errors else 200,
    )


@member_required
@require_POST
def delete(request: HttpRequest, slug: str, message_id: int) -> HttpResponse:
    room = _room_for(request, slug)
    try:
        services.delete_message(request.user, room, message_id)
    except ChatError as error:
        if error.code == "not_found":
            messages.info(request, error.message)
        else:
            raise PermissionDenied(error.message) from error
    else:
        messages.success(request, "Message supprimé.")
    return redirect("chat:room", slug=room.slug)
