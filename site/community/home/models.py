"""Editorial pages of the site: the home page and plain standard pages."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from community.fragments import cached_fragment, reader_position
from community.lib.routes import route_to_child

from .blocks import BodyBlock
from .tree_cache import CachedViewRestrictionsMixin


class KeptBodyMixin:
    """The body's blocks rendered once for all readers in the same position, not on each
    request: they show nothing of the reader but whether a call to join is replaced by the
    way to their space or to their pending membership (home/blocks/call_to_action.html)."""

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        user = request.user

        def render() -> str:
            body = {"page": self, "request": request, "user": user}
            return render_to_string("home/_page_body.html", body)

        context["page_body"] = cached_fragment(
            request, ("page-body", self.pk, *reader_position(user)), render
        )
        return context


class HomePage(KeptBodyMixin, CachedViewRestrictionsMixin, Page):
    intro = models.TextField(_("accroche"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def route(self, request: HttpRequest, path_components: list[str]):
        if path_components:
            return route_to_child(self, request, path_components)
        return super().route(request, path_components)


class StandardPage(KeptBodyMixin, CachedViewRestrictionsMixin, Page):
    """A plain page: about, how to join, legal notice, accessibility statement."""

    intro = models.TextField(_("chapô"), blank=True, max_length=500)
    body = StreamField(BodyBlock(), verbose_name=_("contenu"), blank=True)
    show_in_footer = models.BooleanField(
        _("lien en pied de page"),
        default=False,
        help_text=_("Pour les mentions légales, la déclaration d'accessibilité…"),
    )
    visitors_only = models.BooleanField(
        _("menu des visiteurs seulement"),
        default=False,
        help_text=_(
            "Le lien du menu n'est montré qu'aux visiteurs non connectés (« Adhérer au réseau ») ;"
            " la page reste ouverte à tous."
        ),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("show_in_footer"),
        FieldPanel("visitors_only"),
    ]
    # Under the site's home page (or another standard page), never beside it at the root.
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")
