"""The outbox of pending index operations and the database copy of every document.

- ``PendingOperation``: "this object changed", written in the same transaction as the
  change; delivered after commit, kept and retried while Meilisearch fails.
- ``SearchDocument``: the last rendered document of every searchable object; the database
  fallback searches it with the same access rules as Meilisearch.
- ``IndexBuild``: an index being rebuilt by ``search_reindex``; deliveries also go there so
  no change is lost while it builds.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingOperation(models.Model):
    doc_type = models.CharField(_("type"), max_length=40)
    object_pk = models.CharField(_("objet"), max_length=100)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("opération d'indexation en attente")
        verbose_name_plural = _("opérations d'indexation en attente")
        ordering = ["pk"]
        indexes = [models.Index(fields=["next_attempt_at"], name="search_pending_due")]

    def __str__(self) -> str:
        return f"{self.doc_type}:{self.object_pk}"


class SearchDocument(models.Model):
    doc_id = models.CharField(max_length=150, unique=True)
    doc_type = models.CharField(max_length=40, db_index=True)  # registration name
    group = models.CharField(max_length=40)  # public type
    object_pk = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    themes = models.JSONField(default=list)
    themes_key = models.CharField(max_length=1000, blank=True)  # "|slug|slug|", to filter
    date = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(default=True)
    access = models.JSONField(default=dict)
    extra = models.JSONField(default=dict)
    # Lowercase, accent-free title and text, for the database fallback.
    folded_title = models.CharField(max_length=500)
    folded_text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document de recherche")
        verbose_name_plural = _("documents de recherche")
        constraints = [
            models.UniqueConstraint(fields=["doc_type", "object_pk"], name="search_doc_object")
        ]

    def __str__(self) -> str:
        return self.doc_id


class IndexBuild(models.Model):
    index_uid = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.index_uid
