from __future__ import annotations

from wagtail import hooks
from wagtail.admin.widgets import Button

from .models import WebinarPage
from .permissions import audience_denied, can_manage_registrations, slides_denied


@hooks.register("register_page_header_buttons")
def registrants_button(page, user, view_name, next_url=None):
    """From a webinar in the admin, one click to its registrants and attendance sheet."""
    specific = page.specific_deferred
    if isinstance(specific, WebinarPage) and specific.live and can_manage_registrations(user):
        yield Button(
            "Inscrit·es et présences",
            specific.url + specific.reverse_subpage("registrants"),
            icon_name="group",
            priority=80,
        )


@hooks.register("before_serve_document")
def check_slides_audience(document, request):
    return slides_denied(request, document)


@hooks.register("before_serve_page")
def check_audience(page, request, serve_args, serve_kwargs):
    """A webinar and every one of its routes answer only its audience (as Wagtail's own
    privacy check, a hook: the model imports no permission)."""
    if isinstance(page, WebinarPage):
        return audience_denied(request, page)
    return None
