"""Demo toolkits for `manage.py seed_demo`: the index page and a dozen realistic guides, read
from demo_data/toolkits.yaml.

Idempotent: the index and toolkits are found by slug, the documents by title; running it
again creates nothing new and leaves pages staff may have edited since as they are.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model

from community.home.models import HomePage
from community.lib.demo import DemoData, Log, pairs, pdf

from .models import Theme, ToolkitIndexPage, ToolkitPage, ensure_themes
from .workflow import assign_moderation_workflow

DATA = DemoData(__file__)


def _document(spec: dict[str, Any]):
    Document = get_document_model()
    document = Document.objects.filter(title=spec["title"]).first()
    if document is None:
        document = Document(title=spec["title"])
        document.file.save(spec["file"], ContentFile(pdf(*spec["lines"])), save=False)
        document.save()
        # Size and hash, as the admin's upload form records them (computed and saved).
        document.get_file_size()
        document.get_file_hash()
    return document


def _body(blocks: list[dict[str, Any]], documents: dict[str, int]) -> list[dict[str, Any]]:
    """StreamField data from the file's `block_type: value` items."""
    body = []
    for kind, value in pairs(blocks):
        if kind == "document":
            value = {**value, "document": documents[value["document"]]}
        body.append({"type": kind, "value": value})
    return body


@transaction.atomic
def seed(log: Log) -> None:
    ensure_themes()
    home = HomePage.objects.first()
    if home is None:
        log("Boîtes à outils : pas de page d'accueil, rien à créer.")
        return
    data = DATA.read("toolkits")
    index = ToolkitIndexPage.objects.filter(slug=data["index"]["slug"]).first()
    if index is None:
        index = ToolkitIndexPage(**data["index"])
        home.add_child(instance=index)
        index.save_revision().publish()
    assign_moderation_workflow(index)

    documents = {spec["file"]: _document(spec).pk for spec in data["documents"]}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    existing = set(ToolkitPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for order, spec in enumerate(data["toolkits"]):
        # Pages already there are left alone: staff may have edited them since.
        if spec["slug"] in existing:
            continue
        page = ToolkitPage(
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            audience=spec["audience"],
            stage=spec["stage"],
            body=_body(spec["body"], documents),
            # Spread over the last months so the listing's order looks natural.
            last_reviewed_on=datetime.date(2025, 11, 20) - datetime.timedelta(days=9 * order),
        )
        index.add_child(instance=page)
        page.themes.set([themes[slug] for slug in spec["themes"]])
        page.save_revision().publish()
        created += 1
    log(f"Boîtes à outils : {len(existing) + created} fiches, dont {created} nouvelles.")
