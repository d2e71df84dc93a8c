"""Every response carries the protective headers, whatever the page, the role and the answer
(200, redirect, 403, 404): URLs of the account matrix and a few more, × every role."""

from __future__ import annotations

import pytest
from django.utils import timezone

from community.headers import PERMISSIONS_POLICY
from tests.accounts.test_access_matrix import MATRIX
from tests.matrix import ROLES

pytestmark = pytest.mark.django_db

URLS = [
    *MATRIX,
    "/animations/",
    "/forum/",
    "/boites-a-outils/",
    "/accompagnement/chiffres/",
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
        assert headers == HEADERS, f"{role} {url} ({response.status_code}): {headers}"


HEADERS = {
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


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
