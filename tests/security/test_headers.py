"""Every response carries the protective headers, whatever the page, the role and the answer
(200, redirect, 403, 404): URLs of the account matrix and a few more, × every role."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from django.http import HttpResponse
from django.utils import timezone

from community.headers import (
    ADMIN_DIRECTIVES,
    PERMISSIONS_POLICY,
    SITE_DIRECTIVES,
    SecurityHeadersMiddleware,
)
from tests.accounts.test_access_matrix import MATRIX
from tests.matrix import ROLES

pytestmark = pytest.mark.django_db

URLS = [
    *MATRIX,
    "/animations/",
    "/forum/",
    "/boites-a-outils/",
    "/accompagnement/chiffres/",
    "/candidater/",
    "/nous-rejoindre/",
    "/projets/un-projet/",
    "/sante/",
    "/.well-known/security.txt",
    "/page-qui-n-existe-pas/",
]


@pytest.mark.parametrize("role", ROLES)
def test_every_response_carries_the_security_headers(client_for, role):
    client = client_for(role)
    for url in URLS:
        response = client.get(url)
        headers = {name: response.get(name) for name in HEADERS}
        expected_headers = ADMIN_HEADERS if url.startswith("/admin/") else HEADERS
        assert headers == expected_headers, f"{role} {url} ({response.status_code}): {headers}"
        policy = directives(response["Content-Security-Policy"])
        expected = ADMIN_DIRECTIVES if url.startswith("/admin/") else SITE_DIRECTIVES
        assert policy == expected, f"{role} {url}: {response['Content-Security-Policy']}"


def directives(header: str) -> dict[str, list[str]]:
    return {
        name: sources for name, *sources in (directive.split() for directive in header.split("; "))
    }


def test_pages_run_no_inline_script_nor_style_and_cannot_be_framed():
    assert SITE_DIRECTIVES["script-src"] == ["'self'"]
    assert SITE_DIRECTIVES["style-src"] == ["'self'"]
    assert SITE_DIRECTIVES["frame-ancestors"] == ["'none'"]
    assert SITE_DIRECTIVES["object-src"] == ["'none'"]
    # Only the admin, which Wagtail builds with inline scripts, is looser.
    assert "'unsafe-inline'" in ADMIN_DIRECTIVES["script-src"]
    assert ADMIN_DIRECTIVES["frame-ancestors"] == ["'self'"]


def test_media_on_another_host_is_allowed_as_images_only(settings, rf):
    settings.MEDIA_URL = "https://medias.example.org/cafes/"
    response = SecurityHeadersMiddleware(lambda request: HttpResponse())(rf.get("/"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:", "https://medias.example.org"]
    assert policy["script-src"] == ["'self'"]


def test_a_private_file_keeps_its_sandbox_policy(rf):
    sandboxed = HttpResponse("facture")
    sandboxed["Content-Security-Policy"] = "sandbox"
    response = SecurityHeadersMiddleware(lambda request: sandboxed)(rf.get("/f"))
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.urls("tests.security.server_error_urls")
def test_the_server_error_page_may_use_its_own_style_block_only(client):
    client.raise_request_exception = False
    response = client.get("/panne/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
    style = re.search(r"<style>(.*?)</style>", response.content.decode(), re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = directives(response["Content-Security-Policy"])
    assert policy == {**SITE_DIRECTIVES, "style-src": ["'self'", f"'sha256-{digest}'"]}


HEADERS = {
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
# Wagtail shows page previews in a same-origin frame of the admin.
ADMIN_HEADERS = {**HEADERS, "X-Frame-Options": "SAMEORIGIN"}


def test_the_policy_turns_off_camera_microphone_and_location():
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in PERMISSIONS_POLICY


def test_security_txt_says_where_to_report_a_vulnerability(client, settings):
    settings.SECURITY_CONTACT_EMAIL = "securite@cafes.example.org"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:securite@cafes.example.org"
    assert fields["Preferred-Languages"] == "fr, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    # RFC 9116: an expiry in the future, less than a year ahead.
    expires = timezone.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    days = (expires - timezone.now()).days
    assert 0 < days < 366
