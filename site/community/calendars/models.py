from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.lib.ics import new_token


class CalendarFeedQuerySet(models.QuerySet):
    def of(self, source: str, owner_pks: Iterable[int]) -> CalendarFeedQuerySet:
        return self.filter(source=source, owner_pk__in=list(owner_pks))

    def of_any(self, owners: dict[str, Iterable[int]]) -> CalendarFeedQuerySet:
        """The feeds of several sources' owners at once: {source: owner pks}."""
        wanted = Q(pk__in=[])
        for source, pks in owners.items():
            wanted |= Q(source=source, owner_pk__in=list(pks))
        return self.filter(wanted)


class CalendarFeed(models.Model):
    """The secret address of a subscribed calendar. What it shows is its source's (a name
    registered in sources.py) for one owner of that source; the URL is the credential, so a
    new token revokes the old address."""

    source = models.CharField(_("source"), max_length=40)
    owner_pk = models.PositiveBigIntegerField(_("propriétaire"))
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda privé")
        verbose_name_plural = _("agendas privés")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "owner_pk"], name="calendars_one_feed_per_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.owner_pk}"

    def get_absolute_url(self) -> str:
        return reverse("calendar_feed", args=[self.token])
