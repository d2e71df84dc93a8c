from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from community.accompaniment.report import HEADLINES, headline_figures, last_complete_year
from community.lib.formats import PARIS
from community.page_cache import changes_at


class CallToActionValue(blocks.StructValue):
    @property
    def for_visitors_only(self) -> bool:
        return self.get("audience") == CallToActionBlock.VISITORS


class CallToActionBlock(blocks.StructBlock):
    EVERYONE, VISITORS = "everyone", "visitors"

    title = blocks.CharBlock(label=_("titre"))
    text = blocks.TextBlock(label=_("texte"), required=False)
    link_page = blocks.PageChooserBlock(label=_("page liée"), required=False)
    link_url = blocks.URLBlock(label=_("ou adresse"), required=False)
    link_label = blocks.CharBlock(label=_("libellé du lien"))
    audience = blocks.ChoiceBlock(
        label=_("montré à"),
        choices=[
            (EVERYONE, _("tout le monde")),
            (VISITORS, _("aux visiteurs non connectés seulement")),
        ],
        default=EVERYONE,
        help_text=_(
            "Un appel à adhérer ne sert qu'aux visiteurs : à sa place, une personne connectée "
            "voit le chemin de son espace (ou de son adhésion en attente)."
        ),
    )

    class Meta:
        icon = "pick"
        label = _("appel à l'action")
        template = "home/blocks/call_to_action.html"
        value_class = CallToActionValue


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("chiffre"), max_length=20, help_text=_("Par exemple « 195 »."))
    label = blocks.CharBlock(label=_("légende"), max_length=120)


class FiguresBlock(blocks.StructBlock):
    """Key figures of the network, shown as a grid (the yearly report's numbers)."""

    title = blocks.CharBlock(label=_("titre"))
    figures = blocks.ListBlock(FigureBlock(), label=_("chiffres"), min_num=1)
    source = blocks.CharBlock(
        label=_("source"),
        required=False,
        help_text=_("Par exemple « Rapport d'activité 2025 »."),
    )

    class Meta:
        icon = "table"
        label = _("chiffres clés")
        template = "home/blocks/figures.html"


class JourneyFiguresBlock(blocks.StructBlock):
    """The accompaniment's figures of the last complete year, computed by the platform from
    the applications and projects it follows (manage.py accompaniment_report): staff choose
    which to show, never type them."""

    shown = blocks.MultipleChoiceBlock(
        label=_("chiffres affichés"),
        choices=list(HEADLINES.items()),
        default=[key for key in HEADLINES if key != "definition"],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        icon = "table"
        label = _("chiffres de l'accompagnement (calculés)")
        template = "home/blocks/journey_figures.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        year = last_complete_year()
        # On 1 January the last complete year moves on: a kept page is not served past it.
        changes_at(datetime(year + 2, 1, 1, tzinfo=PARIS))
        context["year"] = year
        context["figures"] = headline_figures(year, list(value["shown"]))
        return context


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("intertitre"), form_classname="title", template="home/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("paragraphe"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3"],
    )
    image = ImageChooserBlock(label=_("image"), template="home/blocks/image.html")
    call_to_action = CallToActionBlock()
    figures = FiguresBlock()
    journey_figures = JourneyFiguresBlock()
