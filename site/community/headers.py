"""Response headers every page carries, beyond what Django's SecurityMiddleware sets
(Referrer-Policy, Cross-Origin-Opener-Policy, X-Content-Type-Options): the browser features
no page uses, and the Content-Security-Policy."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Browser features no page of the platform uses: a script injected into a page could not
# turn on the camera, the microphone or the location, nor could a third-party frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


# The only players toolkit.blocks.video_player_url embeds.
VIDEO_PLAYERS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
# The site's pages run only the scripts and styles of its own static files: no inline
# script, no style attribute, no other origin. An injected <script> or onclick= does not run.
SITE_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    # 'self' covers the chat's ws:// and wss:// on the same host.
    "connect-src": ["'self'"],
    "frame-src": VIDEO_PLAYERS,
    "frame-ancestors": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Wagtail's admin still needs inline scripts and styles, and frames its own page previews.
ADMIN_DIRECTIVES = {
    **SITE_DIRECTIVES,
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "frame-src": ["'self'", *VIDEO_PLAYERS],
    "frame-ancestors": ["'self'"],
}
ADMIN_PREFIX = "/admin/"


def _with_image_origins(directives: dict[str, list[str]]) -> dict[str, list[str]]:
    """Images from the media storage's origin when it is another host (object storage), and
    from the map's tile server (MAP_TILES_URL, whose {s} subdomains become a wildcard)."""
    origins = []
    for url in (settings.MEDIA_URL, settings.MAP_TILES_URL.replace("{s}", "*")):
        parts = urlsplit(url)
        if parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    if not origins:
        return directives
    return {**directives, "img-src": [*directives["img-src"], *origins]}


def _server_error_directives() -> dict[str, list[str]]:
    """The site's policy plus the one inline <style> of 500.html, allowed by its hash: that
    page is standalone on purpose (it must render when the static files are what failed)."""
    page = render_to_string("500.html")
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    return {**SITE_DIRECTIVES, "style-src": [*SITE_DIRECTIVES["style-src"], f"'sha256-{digest}'"]}


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.site_policy = _policy(_with_image_origins(SITE_DIRECTIVES))
        self.admin_policy = _policy(_with_image_origins(ADMIN_DIRECTIVES))
        self.server_error_policy = _policy(_with_image_origins(_server_error_directives()))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # A response with its own policy keeps it (private files are served sandboxed).
        # Wagtail renders a page preview through the middleware as a "dummy" request for the
        # page's own URL; it is shown framed in the admin.
        admin = request.path.startswith(ADMIN_PREFIX) or getattr(request, "is_dummy", False)
        if admin:
            policy = self.admin_policy
        elif response.status_code == 500:
            policy = self.server_error_policy
        else:
            policy = self.site_policy
        response.setdefault("Content-Security-Policy", policy)
        if admin:
            # The admin frames its page previews; every other page may not be framed (DENY).
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response


@require_GET
@cache_control(max_age=86400, public=True)
def security_txt(request: HttpRequest) -> HttpResponse:
    """RFC 9116: where to report a vulnerability. Expires a year after the deployment's
    settings were read, as the RFC wants a date less than a year ahead."""
    lines = [
        f"Contact: mailto:{settings.SECURITY_CONTACT_EMAIL}",
        f"Expires: {settings.SECURITY_TXT_EXPIRES}",
        "Preferred-Languages: fr, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
