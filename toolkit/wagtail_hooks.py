from __future__ import annotations

from wagtail import hooks

from .permissions import check_document


@hooks.register("before_serve_document")
def toolkit_document_audience(document, request):
    return check_document(document, request)
