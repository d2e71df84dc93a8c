"""Uploaded files: the public folders anyone may fetch, and private files served after a check.

Public media (catalogue photos, Wagtail images, avatars) live under MEDIA_ROOT and are served
by the web server (nginx in production, `serve_public_media` in development) from an
allow-list of folders only. Private uploads (invoices, photos of bookings) live in the
"private" storage, outside MEDIA_ROOT: they have no public URL, and a view that has checked
who asks hands them to `serve_private_file`, the one place that sets how they are delivered.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.http import content_disposition_header
from django.views.static import serve

# Folders of MEDIA_ROOT the public may fetch. Anything else there (Wagtail documents, which
# go through /documents/ and its audience check; machina's attachments) answers 404.
PUBLIC_MEDIA_FOLDERS = (
    "images/",  # Wagtail image renditions
    "original_images/",  # Wagtail images as uploaded
    "avatars/",
    "animations/photos/",  # photos of the public catalogue (KindPhoto)
    "animations/thumbs/",
)

# Shown inline; everything else is downloaded, never rendered by the browser.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, which no web server location exposes.

    The folder is read from the settings at each use (not cached as MEDIA_ROOT is), so a
    test that points PRIVATE_MEDIA_ROOT elsewhere is followed at once.
    """

    @property
    def base_location(self) -> str:
        return str(self._location or settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        # A template that reaches for .url would publish the file: make it fail loudly.
        raise ValueError("Private files have no public URL: serve them with serve_private_file.")


def private_storage() -> Storage:
    """The storage of private uploads (a callable, so migrations name it, not its options)."""
    return storages["private"]


def is_public_media(path: str) -> bool:
    """Whether a path under /media/ is inside an allowed folder, written in canonical form.

    `//documents/x`, `./documents/x`, `images/../documents/x` or a backslash are refused
    rather than normalised: a canonical path is the only one the allow-list can judge.
    """
    parts = path.split("/")
    if "\\" in path or "\x00" in path or any(part in ("", ".", "..") for part in parts):
        return False
    return path.startswith(PUBLIC_MEDIA_FOLDERS)


def serve_public_media(request: HttpRequest, path: str) -> HttpResponse:
    """Development only (DEBUG): public media from MEDIA_ROOT, as nginx does in production."""
    if not is_public_media(path):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def public_media_route() -> URLPattern:
    """The development /media/ route (added to the URLs when DEBUG is on)."""
    return re_path(r"^media/(?P<path>.*)$", serve_public_media)


def serve_private_file(file: FieldFile, *, download_name: str) -> HttpResponse:
    """The response delivering a private file to someone the calling view has let through.

    `download_name` is the name offered to the browser, without extension: the stored name's
    extension is appended, and it only ever comes from the detected type of the upload.
    Images are shown inline; anything else is an attachment. Either way the browser may not
    sniff another type, and the sandbox keeps any script from running on the site's origin.
    With PRIVATE_MEDIA_ACCEL_PREFIX set (production behind nginx), nginx sends a private
    storage's file from an `internal` location; otherwise (development, object storage, a
    Wagtail document checked by its own rule) Django streams it.
    """
    if not file:
        raise Http404
    name = file.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    extension = posixpath.splitext(name)[1].lower()
    prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
    if prefix and isinstance(file.storage, PrivateFileSystemStorage):
        if not file.storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = file.storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        content_type not in INLINE_TYPES, f"{download_name}{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=600"
    return response
