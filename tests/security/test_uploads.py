"""Issue 11, finding 1: hostile uploads are refused in French, or stored inert and private.

Every upload goes through the real pages a manager uses (the reimbursement claim and the
booking report), so the form, the service, the validators and the storage all take part.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from community.lib.demo import pdf
from events.models import Booking, BookingPhoto, Reimbursement
from tests.events.conftest import at, html_of
from tests.matrix import LOGIN

from .upload_files import (
    HTML,
    HTML_THEN_PDF,
    PDF_WITH_SCRIPT,
    POLYGLOT_PDF,
    SVG,
    WRAPPED_HTML,
    exif_bomb_jpeg,
    fifty_megabytes,
    jpeg,
    png,
)

pytestmark = pytest.mark.django_db

PDF = pdf("Atelier échecs")
TOO_LARGE = "Le fichier pèse 50,0\xa0Mio : la limite est de 5,0\xa0Mio."


@pytest.fixture
def dev_urls(settings):
    """The URLs of `make run`, with its /media/ route."""
    settings.ROOT_URLCONF = "tests.security.dev_urls"


def stored(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


def post_claim(client, booking: Booking, fund, name: str, content: bytes):
    return client.post(
        reverse("events:claim", args=[booking.pk]),
        {
            "remboursement-fund": fund.pk,
            "remboursement-amount": "250",
            "remboursement-invoice": SimpleUploadedFile(name, content),
        },
    )


def post_report(client, booking: Booking, name: str, content: bytes):
    return client.post(
        reverse("events:booking_action", args=[booking.pk, "bilan"]),
        {
            "bilan-participants": "12",
            "bilan-photos": [SimpleUploadedFile(name, content)],
            "bilan-caption": "La partie",
        },
    )


def test_finding_1_a_page_wrapped_in_pdf_markers_is_refused_and_invoices_are_not_public(
    client_for, held, fund, media_roots, dev_urls
):
    public, private = media_roots
    manager = client_for("manager")
    response = post_claim(manager, held, fund, "facture.html", WRAPPED_HTML)
    assert response.status_code == 400
    assert "Ce fichier contient du code de page web (HTML, SVG ou script)" in html_of(response)
    assert not Reimbursement.objects.exists()
    assert stored(public) == stored(private) == []

    # The same name with a real PDF: kept, named .pdf, outside the public folder.
    assert post_claim(manager, held, fund, "facture.html", PDF).status_code == 302
    claim = Reimbursement.objects.get()
    assert re.fullmatch(r"animations/factures/[0-9a-f]{32}\.pdf", claim.invoice.name)
    assert stored(public) == [] and stored(private) == [private / claim.invoice.name]
    anonymous = client_for("anonymous")
    for path in (claim.invoice.name, claim.invoice.name.replace(".pdf", ".html")):
        assert anonymous.get(f"/media/{path}").status_code == 404
    response = anonymous.get(reverse("events:invoice", args=[claim.pk]))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN.to)


def test_seeded_invoices_are_private(client_for, media_roots, dev_urls):
    public, private = media_roots
    call_command("seed_demo", stdout=StringIO())
    claims = Reimbursement.objects.exclude(invoice="")
    assert claims.exists()
    anonymous = client_for("anonymous")
    for claim in claims:
        assert (private / claim.invoice.name).is_file()
        assert not (public / claim.invoice.name).exists()
        assert anonymous.get(f"/media/{claim.invoice.name}").status_code == 404
        response = anonymous.get(reverse("events:invoice", args=[claim.pk]))
        assert response.status_code == 302 and response["Location"].startswith(LOGIN.to)


REFUSED_INVOICES = [
    ("facture.html", lambda: HTML, "La facture doit être un PDF ou une image"),
    ("facture.svg", lambda: SVG, "La facture doit être un PDF ou une image"),
    ("facture.pdf", lambda: WRAPPED_HTML, "code de page web"),
    ("facture.pdf", lambda: POLYGLOT_PDF, "code de page web"),
    ("facture.pdf", lambda: PDF_WITH_SCRIPT, "code de page web"),
    ("facture.pdf", lambda: HTML_THEN_PDF, "La facture doit être un PDF ou une image"),
    ("facture.pdf.html", lambda: HTML, "La facture doit être un PDF ou une image"),
    ("../../facture.pdf", lambda: WRAPPED_HTML, "code de page web"),
    ("facture.pdf", lambda: PDF[:-40], "Ce PDF est incomplet ou endommagé"),
    ("scan.jpg", exif_bomb_jpeg, "elle se décompresse en une taille démesurée"),
    ("facture.pdf", fifty_megabytes, TOO_LARGE),
]


@pytest.mark.parametrize(
    "name, content, message",
    REFUSED_INVOICES,
    ids=[
        "html",
        "svg",
        "html-wrapped-in-pdf-markers",
        "pdf-html-polyglot",
        "pdf-then-script",
        "html-then-pdf",
        "double-extension",
        "path-traversal",
        "truncated-pdf",
        "exif-bombed-jpeg",
        "50-mb",
    ],
)
def test_hostile_invoices_are_refused_in_french(
    client_for, held, fund, media_roots, name, content, message
):
    response = post_claim(client_for("manager"), held, fund, name, content())
    assert response.status_code == 400
    assert message in html_of(response)
    assert not Reimbursement.objects.exists()
    public, private = media_roots
    assert stored(public) == stored(private) == []


@pytest.mark.parametrize(
    "name, content, extension, content_type",
    [
        ("../../x.pdf", PDF, "pdf", "application/pdf"),
        ("..\\..\\x.pdf", PDF, "pdf", "application/pdf"),
        ("facture.pdf.html", PDF, "pdf", "application/pdf"),
        ("facture.html", png(), "png", "image/png"),
        ("scan.svg", jpeg(), "jpg", "image/jpeg"),
        ("facture", PDF, "pdf", "application/pdf"),
    ],
    ids=[
        "traversal",
        "backslash-traversal",
        "double-extension",
        "png-as-html",
        "jpeg-as-svg",
        "no-extension",
    ],
)
def test_accepted_invoices_are_stored_inert_under_a_name_of_their_type(
    client_for, held, fund, media_roots, tmp_path, name, content, extension, content_type
):
    manager = client_for("manager")
    assert post_claim(manager, held, fund, name, content).status_code == 302
    claim = Reimbursement.objects.get()
    assert re.fullmatch(rf"animations/factures/[0-9a-f]{{32}}\.{extension}", claim.invoice.name)
    _public, private = media_roots
    assert stored(tmp_path) == [private / claim.invoice.name]  # nothing escaped the folder
    response = manager.get(reverse("events:invoice", args=[claim.pk]))
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == content


@pytest.fixture
def past(confirmed) -> Booking:
    Booking.objects.filter(pk=confirmed.pk).update(starts_at=at(-1), ends_at=at(-1, 20))
    confirmed.refresh_from_db()
    return confirmed


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("photo.svg", lambda: SVG, "n'est pas une image lisible"),
        ("photo.html", lambda: HTML, "n'est pas une image lisible"),
        ("photo.jpg", lambda: WRAPPED_HTML, "n'est pas une image lisible"),
        ("photo.jpg", exif_bomb_jpeg, "elle se décompresse en une taille démesurée"),
        ("photo.jpg", fifty_megabytes, TOO_LARGE),
    ],
    ids=["svg", "html", "pdf-wrapped-html", "exif-bombed-jpeg", "50-mb"],
)
def test_hostile_report_photos_are_refused_in_french(
    client_for, past, media_roots, name, content, message
):
    response = post_report(client_for("manager"), past, name, content())
    assert response.status_code == 400
    assert f"{name} : " in html_of(response) and message in html_of(response)
    past.refresh_from_db()
    assert past.participants is None and not BookingPhoto.objects.exists()
    public, private = media_roots
    assert stored(public) == stored(private) == []


def test_a_report_photo_with_a_lying_name_is_stored_as_a_private_jpeg(
    client_for, past, media_roots, tmp_path
):
    response = post_report(client_for("manager"), past, "../vacances.svg", jpeg(exif_bytes=2000))
    assert response.status_code == 302
    photo = BookingPhoto.objects.get()
    _public, private = media_roots
    assert stored(tmp_path) == sorted([private / photo.image.name, private / photo.thumbnail.name])
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name.endswith(".webp")
    for rendition, image_format in ((photo.image.name, "JPEG"), (photo.thumbnail.name, "WEBP")):
        with Image.open(private / rendition) as image:
            assert image.format == image_format and not image.getexif()
