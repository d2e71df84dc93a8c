"""Webinars: Wagtail pages staff publish, and the registrations, reminders and calendar
feeds of the members who attend them."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from community.accounts.audience import Audience, audiences_for
from community.fragments import cached_fragment
from community.home.tree_cache import CachedViewRestrictionsMixin, view_restrictions_exist
from community.lib.formats import french_datetime
from community.lib.routes import ViewRoutesMixin, route_to_child
from community.page_cache import changes_at

if TYPE_CHECKING:
    from community.accounts.models import User

DESCRIPTION_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class WebinarIndexPage(CachedViewRestrictionsMixin, ViewRoutesMixin, Page):
    """The list of webinars (/webinaires/), the member's calendar page and private feed
    (routes in views.py)."""

    intro = models.TextField(_("chapô"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["webinars.WebinarPage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des webinaires")

    def webinars_for(self, user: User) -> models.QuerySet[WebinarPage]:
        """Live webinars under this index whose audience the user belongs to."""
        webinars = (
            WebinarPage.objects.live().child_of(self).filter(audience__in=audiences_for(user))
        )
        # public() reads every view restriction (a query) to exclude nothing when none exist.
        return webinars.public() if view_restrictions_exist() else webinars

    def route(self, request: HttpRequest, path_components: list[str]):
        if path_components:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                # Not one of the index's routes: a webinar, the only children here.
                return route_to_child(self, request, path_components, WebinarPage)
        return super().route(request, path_components)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        user = request.user

        def render() -> str:
            return render_to_string("webinars/_webinar_list.html", self.webinar_lists(user))

        # The lists show nothing of the reader but what their audiences let them see.
        audiences = ",".join(sorted(audiences_for(user)))
        context["webinar_list"] = cached_fragment(request, ("webinars", self.pk, audiences), render)
        return context

    def webinar_lists(self, user: User) -> dict[str, Any]:
        now = timezone.now()
        visible = self.webinars_for(user)
        upcoming = list(visible.filter(end__gt=now).order_by("start", "pk"))
        # A webinar moves to the replays when it ends: a kept page or list is not served past it.
        changes_at(min((webinar.end for webinar in upcoming), default=None))
        replays = (
            visible.filter(end__lte=now)
            .filter(~Q(recording_url="") | Q(slides__isnull=False))
            .select_related("slides")
            .order_by("-start", "-pk")
        )
        return {"upcoming": upcoming, "replays": replays}


class WebinarPage(CachedViewRestrictionsMixin, ViewRoutesMixin, Page):
    """A webinar; its routes (registration, calendar, registrants) are in views.py and its
    audience is checked before any of them by wagtail_hooks.check_audience."""

    start = models.DateTimeField(_("début"), help_text=_("Heure de Paris."))
    end = models.DateTimeField(_("fin"), help_text=_("Heure de Paris."))
    speakers = models.TextField(
        _("intervenant·es"),
        blank=True,
        max_length=2000,
        help_text=_("Un·e par ligne, par exemple « Marie Dupont, maire de Cadalen »."),
    )
    description = RichTextField(_("présentation"), blank=True, features=DESCRIPTION_FEATURES)
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    capacity = models.PositiveIntegerField(
        _("nombre de places"),
        default=100,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Au-delà, les inscrit·es vont sur liste d'attente ; en augmentant ce nombre, "
            "les premier·es de la liste d'attente obtiennent une place et sont prévenu·es."
        ),
    )
    join_link = models.URLField(
        _("lien de connexion"),
        blank=True,
        help_text=_("Salle de visioconférence, montrée aux seul·es inscrit·es confirmé·es."),
    )
    join_link_opens_minutes_before = models.PositiveSmallIntegerField(
        _("lien visible (minutes avant le début)"),
        default=15,
        validators=[MaxValueValidator(24 * 60)],
    )
    recording_url = models.URLField(
        _("replay"),
        blank=True,
        help_text=_(
            "Adresse de la vidéo (PeerTube, YouTube, Vimeo…), une fois le webinaire passé."
        ),
    )
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("support de présentation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Calendar apps replace an event they already know only when SEQUENCE grows; both
    # fields are written only on publish (see save and services.apply_published_changes).
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    calendar_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("start"), FieldPanel("end")]), FieldPanel("audience")],
            heading=_("Quand et pour qui"),
        ),
        FieldPanel("speakers"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("capacity"),
                FieldPanel("join_link"),
                FieldPanel("join_link_opens_minutes_before"),
            ],
            heading=_("Inscriptions et connexion"),
        ),
        MultiFieldPanel(
            [FieldPanel("recording_url"), FieldPanel("slides")],
            heading=_("Après le webinaire"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("speakers"),
        index.FilterField("audience"),
        index.FilterField("start"),
    ]
    parent_page_types = ["webinars.WebinarIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("webinaire")
        verbose_name_plural = _("webinaires")

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin doit être après le début.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only apply_published_changes writes these two (with a queryset update): a page
        # object loaded earlier, or rebuilt from an older revision, must not write back
        # stale values, or calendars would see a sequence going down.
        if self.pk is not None:
            current = (
                WebinarPage.objects.filter(pk=self.pk)
                .values_list("calendar_sequence", "calendar_fingerprint")
                .first()
            )
            if current is not None:
                self.calendar_sequence, self.calendar_fingerprint = current
        super().save(*args, **kwargs)

    # Derived state ---------------------------------------------------------------------

    @property
    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]

    @property
    def when(self) -> str:
        return french_datetime(self.start)

    @property
    def has_replay(self) -> bool:
        return bool(self.recording_url or self.slides_id)

    @property
    def is_for_everyone(self) -> bool:
        return self.audience == Audience.PUBLIC

    @property
    def join_link_opens_at(self) -> datetime:
        return self.start - timedelta(minutes=self.join_link_opens_minutes_before)

    def is_over(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.start

    def join_link_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(self.join_link) and self.join_link_opens_at <= now < self.end

    def confirmed_count(self) -> int:
        return self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()

    def registration_of(self, user: User) -> Registration | None:
        """The user's current (not cancelled) registration, if any."""
        if not user.is_authenticated:
            return None
        return (
            self.registrations.filter(member=user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )

    def calendar_key(self) -> str:
        """A digest of what calendar apps show of the event: a change raises SEQUENCE."""
        shown = "|".join([self.title, self.start.isoformat(), self.end.isoformat()])
        return hashlib.sha256(shown.encode()).hexdigest()


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscription confirmée")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class Registration(models.Model):
    """One row per member and webinar; cancelling keeps the row so re-registering reuses it."""

    webinar = models.ForeignKey(
        WebinarPage,
        verbose_name=_("webinaire"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="webinar_registrations",
    )
    status = models.CharField(_("statut"), max_length=20, choices=RegistrationStatus.choices)
    # Order of the waiting list: reset when a cancelled registration is renewed.
    queued_at = models.DateTimeField(_("inscrit·e le"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("place confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription à un webinaire")
        verbose_name_plural = _("inscriptions aux webinaires")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["webinar", "member"], name="webinars_one_registration_per_member"
            ),
        ]
        indexes = [models.Index(fields=["webinar", "status", "queued_at"])]
        permissions = [
            (
                "manage_registrations",
                _("Peut voir et exporter les inscrit·es et noter les présences"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.webinar} ({self.get_status_display()})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING

    def waiting_position(self) -> int | None:
        if self.status != RegistrationStatus.WAITING:
            return None
        ahead = Registration.objects.filter(
            webinar_id=self.webinar_id, status=RegistrationStatus.WAITING
        ).filter(Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk))
        return ahead.count() + 1


class ReminderKind(models.TextChoices):
    DAY = "day", _("24 h avant")
    HOUR = "hour", _("1 h avant")


# How long before the start each reminder is due.
REMINDER_OFFSETS = {ReminderKind.DAY: timedelta(hours=24), ReminderKind.HOUR: timedelta(hours=1)}


class Reminder(models.Model):
    """The delivery record of one reminder: claimed by a sender, then marked sent.

    The unique constraint is what makes "exactly once" hold across concurrent senders.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("rappel de webinaire")
        verbose_name_plural = _("rappels de webinaires")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind"], name="webinars_one_reminder_per_kind"
            ),
        ]
        indexes = [models.Index(fields=["sent_at", "claimed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.registration}"
