"""Chat rooms, their messages, and how far each member has read."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    """Who may join a room: the same circles as the forum areas, decided by role."""

    ELECTED = "elected", _("Élu·es et équipe")
    MANAGERS = "managers", _("Gérant·es et équipe")
    NETWORK = "network", _("Tous les membres")
    DIRECT = "direct", _("Conversation privée")


class Room(models.Model):
    slug = models.SlugField(_("adresse"), max_length=60, unique=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.CharField(_("description"), max_length=250, blank=True)
    audience = models.CharField(_("public"), max_length=20, choices=Audience.choices)
    # Only direct conversations have participants; the other rooms are open to a role.
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participants"),
        related_name="chat_conversations",
        blank=True,
    )
    created = models.DateTimeField(_("créé le"), auto_now_add=True)
    # The log of edits and deletions (MessageChange) is pruned up to this revision: a client
    # behind it cannot be caught up change by change and gets the room afresh.
    changes_pruned_through = models.BigIntegerField(_("modifications purgées jusqu'à"), default=0)

    class Meta:
        verbose_name = _("salon de discussion")
        verbose_name_plural = _("salons de discussion")
        ordering = ["audience", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_direct(self) -> bool:
        return self.audience == Audience.DIRECT

    @property
    def group_name(self) -> str:
        """The channel-layer group of the room's connected sockets (ASCII, < 100 chars)."""
        return f"chat.room.{self.pk}"


class Message(models.Model):
    room = models.ForeignKey(
        Room, verbose_name=_("salon"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.CASCADE,
        related_name="chat_messages",
    )
    body = models.TextField(_("message"))
    created = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    edited = models.DateTimeField(_("modifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        # History, sync and pagination all read a room's messages by id.
        indexes = [models.Index(fields=["room", "id"], name="chat_message_room_id")]

    def __str__(self) -> str:
        return f"{self.author} : {self.body[:40]}"

    def get_absolute_url(self) -> str:
        """The message in its room's page (the room loaded, as a room's messages have it)."""
        return f"{reverse('chat:room', args=[self.room.slug])}#message-{self.pk}"

    def frame(self, kind: str = "message") -> dict[str, Any]:
        """The JSON frame sent to websocket clients (room and author must be loaded)."""
        return {
            "type": kind,
            "id": self.pk,
            "room": self.room.slug,
            "author": {"id": self.author_id, "name": self.author.display_name},
            "body": self.body,
            "created": self.created.isoformat(),
            "edited": self.edited.isoformat() if self.edited else None,
        }


class MessageChange(models.Model):
    """One edit or deletion of a room's message: the catch-up log of clients that were away.

    The id is the room's revision. Edits and deletions lock the room row until they commit,
    so within a room a change is visible only once every smaller id is: a client that has
    applied up to a revision misses nothing below it. Whether the change was an edit or a
    deletion is read from the message itself (gone means deleted).
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="changes")
    message_id = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("modification de message")
        verbose_name_plural = _("modifications de messages")
        indexes = [models.Index(fields=["room", "id"], name="chat_change_room_id")]

    def __str__(self) -> str:
        return f"{self.room} : message {self.message_id} (révision {self.pk})"


class ReadMark(models.Model):
    """The last message a member has seen in a room; later messages count as unread."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_read_marks"
    )
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_readmark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} : {self.room} jusqu'au message {self.last_read_id}"
