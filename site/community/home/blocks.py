from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"))
    text = blocks.TextBlock(label=_("texte"), required=False)
    link_page = blocks.PageChooserBlock(label=_("page liée"), required=False)
    link_url = blocks.URLBlock(label=_("ou adresse"), required=False)
    link_label = blocks.CharBlock(label=_("libellé du lien"))

    class Meta:
        icon = "pick"
        label = _("appel à l'action")
        template = "home/blocks/call_to_action.html"


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
