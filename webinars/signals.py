from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import WebinarPage
from .services import apply_published_changes


@receiver(page_published, sender=WebinarPage, dispatch_uid="webinars.published")
def webinar_published(sender, instance: WebinarPage, **kwargs) -> None:
    apply_published_changes(instance)
