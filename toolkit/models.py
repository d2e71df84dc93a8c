"""Toolkits (boîtes à outils): practical guides written by staff, each for one audience."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from community.accounts.audience import Audience, audiences_for
from community.fragments import cached_fragment
from community.home.tree_cache import CachedViewRestrictionsMixin
from community.lib.routes import ViewRoutesMixin, route_to_child
from community.places.models import Stage

from .blocks import ToolkitBodyBlock

PAGE_SIZE = 12
RELATED_COUNT = 3


class Theme(models.Model):
    """The fixed list of themes (created by migration 0001), used to filter toolkits."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("nom"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


# (slug, name) in display order; migration 0001 and ensure_themes() create them.
THEMES: list[tuple[str, str]] = [
    ("commerce-local", "Commerce local"),
    ("participation-citoyenne", "Participation citoyenne"),
    ("lien-social", "Lien social"),
    ("gestion-du-cafe", "Gestion du café"),
    ("animations", "Animations"),
    ("financements", "Financements"),
]


def ensure_themes() -> None:
    """Create or rename the themes (idempotent); a flushed test database needs it again."""
    for order, (slug, name) in enumerate(THEMES):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})


class ToolkitIndexPage(CachedViewRestrictionsMixin, ViewRoutesMixin, Page):
    """The toolkits' list; its filtered listing is listing.py's route, and a new index gets
    the review workflow from signals.py."""

    intro = models.TextField(_("chapô"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["toolkit.ToolkitPage"]
    max_count = 1
    template = "toolkit/toolkit_index_page.html"

    class Meta:
        verbose_name = _("index des boîtes à outils")

    def route(self, request: HttpRequest, path_components: list[str]):
        if not path_components:
            return super().route(request, path_components)
        return route_to_child(self, request, path_components, ToolkitPage)


class ToolkitPage(CachedViewRestrictionsMixin, Page):
    """A toolkit. Its audience is checked by wagtail_hooks before it is served, and its
    document links follow its body through signals.py."""

    intro = models.TextField(
        _("chapô"), max_length=600, help_text=_("Deux ou trois phrases : à quoi sert cette fiche.")
    )
    body = StreamField(ToolkitBodyBlock(), verbose_name=_("contenu"), blank=True)
    themes = ParentalManyToManyField(Theme, verbose_name=_("thèmes"), related_name="toolkits")
    audience = models.CharField(
        _("public"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.MEMBERS,
        db_index=True,
        help_text=_("Qui peut lire cette boîte à outils et télécharger ses documents."),
    )
    stage = models.CharField(
        _("étape du projet"),
        max_length=20,
        choices=Stage.choices,
        blank=True,
        help_text=_("L'étape de l'accompagnement concernée, ou aucune."),
    )
    last_reviewed_on = models.DateField(_("relu le"), null=True, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("stage"),
                FieldPanel("last_reviewed_on"),
            ],
            heading=_("Classement et public"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("audience"),
        index.FilterField("stage"),
    ]
    parent_page_types = ["toolkit.ToolkitIndexPage"]
    subpage_types: list[str] = []
    template = "toolkit/toolkit_page.html"

    class Meta:
        verbose_name = _("boîte à outils")
        verbose_name_plural = _("boîtes à outils")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        user = request.user

        def render() -> str:
            themes = list(self.themes.all())
            body = {"page": self, "themes": themes}
            body["related_toolkits"] = self.related_toolkits(user, themes)
            if getattr(user, "is_network_staff", False):
                body["download_counts"] = self.download_counts()
            return render_to_string("toolkit/_toolkit_body.html", body)

        if getattr(user, "is_network_staff", False):
            # Downloads are counted without outdating pages: staff's counts are read each time.
            context["toolkit_body"] = render()
        else:
            # The body and related toolkits show nothing of the reader but their audiences.
            audiences = ",".join(sorted(audiences_for(user)))
            parts = ("toolkit", self.pk, audiences)
            context["toolkit_body"] = cached_fragment(request, parts, render)
        return context

    def download_counts(self) -> dict[int, int]:
        """Downloads of each document the page offers, by document id."""
        return dict(
            DocumentDownloads.objects.filter(document__toolkit_links__page=self).values_list(
                "document_id", "count"
            )
        )

    def related_toolkits(self, user, themes: list[Theme]) -> list[ToolkitPage]:
        """Live toolkits the user may see sharing the most themes with this one."""
        theme_ids = [theme.pk for theme in themes]
        if not theme_ids:
            return []
        return list(
            ToolkitPage.objects.live()
            .filter(audience__in=audiences_for(user), themes__in=theme_ids)
            .exclude(pk=self.pk)
            .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
            .order_by("-shared", "-last_reviewed_on", "title")
            .only("title", "url_path", "intro", "audience", "path", "depth")[:RELATED_COUNT]
        )


class ToolkitDocumentLink(models.Model):
    """Which documents a toolkit's saved content offers (the live content once published).

    Written in the same transaction as the page, unlike Wagtail's ReferenceIndex which a
    task queue may update later: the document rule must never lag behind a publication.
    """

    page = models.ForeignKey(ToolkitPage, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="toolkit_links",
    )

    class Meta:
        verbose_name = _("document d'une boîte à outils")
        verbose_name_plural = _("documents des boîtes à outils")
        constraints = [
            models.UniqueConstraint(fields=["page", "document"], name="toolkit_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} → {self.document_id}"


class DocumentDownloads(models.Model):
    """How many times a document was served (every document, counted for staff)."""

    document = models.OneToOneField(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="download_tally",
        verbose_name=_("document"),
    )
    count = models.PositiveIntegerField(_("téléchargements"), default=0)

    class Meta:
        verbose_name = _("téléchargements d'un document")
        verbose_name_plural = _("téléchargements des documents")

    def __str__(self) -> str:
        return f"{self.document_id} : {self.count}"
