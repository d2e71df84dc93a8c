"""The building blocks of a toolkit page's body; each renders through its own template."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]
SHORT_TEXT_FEATURES = ["bold", "italic", "link", "ul"]


class RenditionsImageChooserBlock(ImageChooserBlock):
    """Fetches every image of the body with its renditions in one go, so a page with thirty
    images costs the same queries as a page with one."""

    def bulk_to_python(self, values):
        values = list(values)
        objects = self.model_class.objects.prefetch_renditions().in_bulk(
            [value for value in values if value is not None]
        )
        return [objects.get(value) for value in values]


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("étape"))
    text = blocks.RichTextBlock(label=_("détail"), features=SHORT_TEXT_FEATURES, required=False)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), default=_("Étape par étape"))
    steps = blocks.ListBlock(StepBlock(), label=_("étapes"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("étapes numérotées")
        template = "toolkit/blocks/steps.html"


class ChecklistBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), default=_("Liste de vérification"))
    items = blocks.ListBlock(blocks.CharBlock(label=_("point")), label=_("points"), min_num=1)

    class Meta:
        icon = "tasks"
        label = _("liste de vérification")
        template = "toolkit/blocks/checklist.html"


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), default=_("À retenir"))
    text = blocks.RichTextBlock(label=_("texte"), features=SHORT_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("à retenir")
        template = "toolkit/blocks/key_point.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        label=_("intitulé"),
        required=False,
        help_text=_("Laissez vide pour reprendre le titre du document."),
    )
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("document à télécharger")
        template = "toolkit/blocks/document.html"

    def get_context(self, value, parent_context=None) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)
        # The page passes counts only to staff (see ToolkitPage.get_context).
        counts = (parent_context or {}).get("download_counts")
        document = value.get("document")
        if counts is not None and document is not None:
            context["download_count"] = counts.get(document.pk, 0)
        return context


class ImageBlock(blocks.StructBlock):
    image = RenditionsImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("texte alternatif"),
        required=False,
        help_text=_(
            "Ce que montre l'image, pour les personnes qui ne la voient pas. "
            "Laissez vide si l'image est décorative."
        ),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False)

    class Meta:
        icon = "image"
        label = _("image")
        template = "toolkit/blocks/image.html"


# Video pages are embedded without oEmbed, so rendering never calls a third party nor
# costs a query per video; only these providers' players are accepted.
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d+$")


def video_player_url(url: str) -> str | None:
    """The privacy-friendly player URL of a YouTube or Vimeo video, or None."""
    parsed = urlparse(url)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    parts = [part for part in parsed.path.split("/") if part]
    video_id = ""
    if host == "youtu.be" and parts:
        video_id = parts[0]
    elif host in {"youtube.com", "youtube-nocookie.com"}:
        if parts[:1] == ["watch"]:
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif len(parts) >= 2 and parts[0] in {"embed", "shorts", "live"}:
            video_id = parts[1]
    if video_id and _YOUTUBE_ID.match(video_id):
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host in {"vimeo.com", "player.vimeo.com"} and parts and _VIMEO_ID.match(parts[-1]):
        return f"https://player.vimeo.com/video/{parts[-1]}?dnt=1"
    return None


class VideoBlock(blocks.StructBlock):
    url = blocks.URLBlock(
        label=_("adresse de la vidéo"), help_text=_("Une vidéo YouTube ou Vimeo.")
    )
    title = blocks.CharBlock(
        label=_("titre de la vidéo"), help_text=_("Lu par les lecteurs d'écran.")
    )
    transcript = blocks.TextBlock(label=_("transcription"), required=False)

    class Meta:
        icon = "media"
        label = _("vidéo")
        template = "toolkit/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if video_player_url(value["url"]) is None:
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _(
                            "Seules les vidéos YouTube et Vimeo peuvent être intégrées : "
                            "collez l'adresse de la page de la vidéo."
                        )
                    )
                }
            )
        return value

    def get_context(self, value, parent_context=None) -> dict[str, Any]:
        context = super().get_context(value, parent_context=parent_context)
        context["player_url"] = video_player_url(value["url"])
        return context


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(label=_("réponse"), features=SHORT_TEXT_FEATURES)


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"), default=_("Questions fréquentes"))
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"), min_num=1)

    class Meta:
        icon = "help"
        label = _("questions fréquentes")
        template = "toolkit/blocks/faq.html"


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("témoignage"))
    author = blocks.CharBlock(label=_("auteur ou autrice"))
    context = blocks.CharBlock(
        label=_("qualité"), required=False, help_text=_("Par exemple « maire de Cadalen (81) ».")
    )

    class Meta:
        icon = "openquote"
        label = _("témoignage")
        template = "toolkit/blocks/testimonial.html"


class ToolkitBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("intertitre"), form_classname="title", template="toolkit/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("texte"), features=TEXT_FEATURES, template="toolkit/blocks/rich_text.html"
    )
    steps = StepsBlock()
    checklist = ChecklistBlock()
    key_point = KeyPointBlock()
    document = DocumentBlock()
    image = ImageBlock()
    video = VideoBlock()
    faq = FaqBlock()
    testimonial = TestimonialBlock()
