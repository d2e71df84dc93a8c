"""What machina lacks: e-mail preferences, forum subscriptions, notifications, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EmailFrequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Un e-mail à chaque nouveau message suivi")
    DAILY = "daily", _("Un résumé par jour")
    NEVER = "never", _("Aucun e-mail (notifications sur le site seulement)")


class ForumPreferences(models.Model):
    """A member's forum settings; members without a row get the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="forum_preferences",
    )
    email_frequency = models.CharField(
        _("e-mails du forum"),
        max_length=20,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("préférences du forum")
        verbose_name_plural = _("préférences du forum")

    def __str__(self) -> str:
        return f"{self.user} : {self.get_email_frequency_display()}"


class ForumSubscription(models.Model):
    """A member follows a forum: each new topic there notifies them (topics: machina's own)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="forum_subscriptions",
    )
    forum = models.ForeignKey(
        "forum.Forum", verbose_name=_("forum"), on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("abonnement à un forum")
        verbose_name_plural = _("abonnements aux forums")
        constraints = [
            models.UniqueConstraint(fields=["user", "forum"], name="discussions_one_subscription")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.forum}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Nouvelle réponse")
    NEW_TOPIC = "new_topic", _("Nouveau sujet")
    MENTION = "mention", _("Mention")


class Notification(models.Model):
    """One post a member should know about: listed on the site, e-mailed per their setting."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("destinataire"),
        on_delete=models.CASCADE,
        related_name="forum_notifications",
    )
    kind = models.CharField(_("type"), max_length=20, choices=NotificationKind.choices)
    post = models.ForeignKey(
        "forum_conversation.Post", verbose_name=_("message"), on_delete=models.CASCADE
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created = models.DateTimeField(_("créée le"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    # Set once the notification left by e-mail, alone or in a daily digest.
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        constraints = [
            # A post notifies a member once, whatever the reasons (mention and subscription).
            models.UniqueConstraint(fields=["recipient", "post"], name="discussions_one_per_post")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} pour {self.recipient}"

    @property
    def is_mention(self) -> bool:
        return self.kind == NotificationKind.MENTION

    @property
    def is_new_topic(self) -> bool:
        return self.kind == NotificationKind.NEW_TOPIC


class ReportStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    RESOLVED = "resolved", _("Traité")
    DISMISSED = "dismissed", _("Classé sans suite")


class PostReport(models.Model):
    """« Signaler ce message »: a member asks the staff to look at a post."""

    post = models.ForeignKey(
        "forum_conversation.Post",
        verbose_name=_("message"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalé par"),
        on_delete=models.CASCADE,
        related_name="forum_reports",
    )
    reason = models.TextField(_("motif"), max_length=1000)
    created = models.DateTimeField(_("signalé le"), default=timezone.now)
    status = models.CharField(
        _("état"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.OPEN,
        db_index=True,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    resolution_note = models.TextField(_("note de l'équipe"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(status="open"),
                name="discussions_one_open_report",
            )
        ]

    def __str__(self) -> str:
        return f"Signalement de {self.reporter} ({self.get_status_display()})"
