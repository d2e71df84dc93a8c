from __future__ import annotations

from wagtail import hooks

from community.accounts.audience import can_see

from .models import ToolkitPage
from .permissions import check_document, refuse


@hooks.register("before_serve_document")
def toolkit_document_audience(document, request):
    return check_document(document, request)


@hooks.register("before_serve_page")
def toolkit_audience(page, request, serve_args, serve_kwargs):
    """A toolkit answers only its audience (as Wagtail's own privacy check, a hook: the
    model imports no permission)."""
    if isinstance(page, ToolkitPage) and not can_see(request.user, page.audience):
        return refuse(request, page.audience)
    return None
