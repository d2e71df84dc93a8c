"""What follows a toolkit page's save, connected in ToolkitConfig.ready (the models call no
service)."""

from __future__ import annotations

from django.db.models.signals import post_save

from .models import ToolkitIndexPage, ToolkitPage
from .services import sync_document_links
from .workflow import assign_moderation_workflow


def index_created(sender, instance: ToolkitIndexPage, created: bool, **kwargs) -> None:
    """Toolkits under a new index go through the review workflow from the first one."""
    if created and not kwargs.get("raw"):
        assign_moderation_workflow(instance)


def toolkit_saved(sender, instance: ToolkitPage, update_fields=None, **kwargs) -> None:
    # Wagtail saves a draft with a short update_fields list, leaving the row (and so the
    # links) at the live content; publishing saves everything and rebuilds them.
    if kwargs.get("raw"):
        return
    if update_fields is None or "body" in update_fields:
        sync_document_links(instance)


def connect() -> None:
    post_save.connect(index_created, sender=ToolkitIndexPage, dispatch_uid="toolkit.index")
    post_save.connect(toolkit_saved, sender=ToolkitPage, dispatch_uid="toolkit.links")
