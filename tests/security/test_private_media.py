"""Private files are served only to those who may see them, always inert; /media/ serves an
allow-list of public folders; existing uploads move out of the public folder."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.accounts.models import Role
from community.lib.demo import pdf
from events.models import BookingPhoto, KindPhoto, Reimbursement
from events.services import claim_reimbursement, request_booking
from tests.events.conftest import at, kind
from tests.factories import make_cafe, make_member
from tests.matrix import LOGIN, MEMBERSHIP, check

from .upload_files import WRAPPED_HTML, jpeg

pytestmark = pytest.mark.django_db

move_uploads = import_module("events.migrations.0004_private_uploads")

PDF = pdf("Atelier échecs")


@dataclass
class Files:
    invoice: str
    photo: str
    thumbnail: str
    claim: Reimbursement
    photo_row: BookingPhoto


@pytest.fixture
def files(held, manager_user, fund, media_roots) -> Files:
    photo = BookingPhoto.objects.create(booking=held, image=upload(jpeg()), alt_text="Partie")
    claim = claim_reimbursement(
        held, by=manager_user, fund=fund, amount=Decimal("100"), invoice=upload(PDF)
    )
    return Files(
        invoice=reverse("events:invoice", args=[claim.pk]),
        photo=reverse("events:booking_photo", args=[held.pk, photo.pk, "photo"]),
        thumbnail=reverse("events:booking_photo", args=[held.pk, photo.pk, "vignette"]),
        claim=claim,
        photo_row=photo,
    )


def upload(content: bytes, name: str = "fichier") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def client_as(role: str, client_for):
    if role != "other_manager":
        return client_for(role)
    client = client_for("anonymous")
    client.force_login(make_member(Role.MANAGER, cafe=make_cafe(name="Le Bistrot d'en face")))
    return client


MATRIX = {
    # The café's claim: its managers and staff; the partner delivered the animation but
    # has no business with the café's invoice.
    "invoice": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        "elected": 403,
        "other_manager": 403,
        "partner": 403,
        "manager": 200,
        "staff": 200,
    },
    # Photos of the booking: whoever sees the booking (its provider's partner included).
    **dict.fromkeys(
        ("photo", "thumbnail"),
        {
            "anonymous": LOGIN,
            "pending": MEMBERSHIP,
            "refused": MEMBERSHIP,
            "elected": 403,
            "other_manager": 404,
            "partner": 200,
            "manager": 200,
            "staff": 200,
        },
    ),
}


@pytest.mark.parametrize(
    "target, role, expected",
    [
        pytest.param(target, role, expected, id=f"{role}-{target}")
        for target, expectations in MATRIX.items()
        for role, expected in expectations.items()
    ],
)
def test_private_files_answer_only_those_who_may_see_them(
    files, client_for, target, role, expected
):
    check(client_as(role, client_for), getattr(files, target), expected)


@pytest.mark.parametrize(
    "target, content_type, disposition",
    [
        ("invoice", "application/pdf", 'attachment; filename="facture-{claim}.pdf"'),
        ("photo", "image/jpeg", 'inline; filename="photo-{photo}.jpg"'),
        ("thumbnail", "image/webp", 'inline; filename="vignette-{photo}.webp"'),
    ],
)
def test_private_files_are_served_inert(files, client_for, target, content_type, disposition):
    response = client_for("manager").get(getattr(files, target))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == disposition.format(
        claim=files.claim.pk, photo=files.photo_row.pk
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"].startswith("private")
    if target == "invoice":
        assert b"".join(response.streaming_content) == PDF


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(files, client_for, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    response = client_for("staff").get(files.invoice)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_private/{files.claim.invoice.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox"
    refused = client_for("partner").get(files.invoice)
    assert refused.status_code == 403 and "X-Accel-Redirect" not in refused


def test_the_booking_page_links_photos_through_the_checking_view(files, client_for, held):
    page = client_for("manager").get(held.get_absolute_url()).content.decode()
    assert f'href="{files.photo}"' in page and f'src="{files.thumbnail}"' in page
    assert "/media/" not in page


def test_unknown_renditions_and_photos_of_another_booking_are_not_found(
    files, client_for, held, chess
):
    other_manager = make_member(Role.MANAGER, cafe=make_cafe(name="Le Bistrot d'en face"))
    other = request_booking(
        by=other_manager,
        cafe=other_manager.managed_cafes.get(),
        kind=chess,
        preferred_dates=[at(9)],
    )
    stranger = BookingPhoto.objects.create(booking=other, image=upload(jpeg()), alt_text="Autre")
    staff = client_for("staff")
    own_address = reverse("events:booking_photo", args=[other.pk, stranger.pk, "photo"])
    assert staff.get(own_address).status_code == 200
    for url in (
        reverse("events:booking_photo", args=[held.pk, stranger.pk, "photo"]),
        reverse("events:booking_photo", args=[held.pk, files.photo_row.pk, "original"]),
    ):
        assert staff.get(url).status_code == 404


# ---------------------------------------------------------------------------- /media/ in dev


@pytest.fixture
def dev_media(settings, media_roots) -> Path:
    """`make run`'s URLs, a public catalogue photo and a Wagtail document file in MEDIA_ROOT."""
    settings.ROOT_URLCONF = "tests.security.dev_urls"
    public, _private = media_roots
    (public / "documents").mkdir(parents=True)
    (public / "documents" / "convention.pdf").write_bytes(PDF)
    (public / "machina" / "attachments").mkdir(parents=True)
    (public / "machina" / "attachments" / "piece.txt").write_text("pièce jointe")
    return public


def test_dev_media_serves_the_public_catalogue_photos(dev_media, client_for):
    photo = KindPhoto.objects.create(
        kind=kind("chess-workshop"), image=upload(jpeg(), "partie.jpg"), alt_text="Partie"
    )
    for url, content_type in ((photo.image.url, "image/jpeg"), (photo.thumbnail.url, "image/webp")):
        response = client_for("anonymous").get(url)
        assert response.status_code == 200 and response["Content-Type"] == content_type


@pytest.mark.parametrize(
    "path",
    [
        "/media/documents/convention.pdf",
        "/media//documents/convention.pdf",
        "/media/./documents/convention.pdf",
        "/media/%2e/documents/convention.pdf",
        "/media/%2E/documents/convention.pdf",
        "/media/images/../documents/convention.pdf",
        "/media/images/%2e%2e/documents/convention.pdf",
        "/media/images/..%2fdocuments/convention.pdf",
        "/media/images%2f..%2fdocuments/convention.pdf",
        "/media/images/..\\documents/convention.pdf",
        "/media/avatars/../../media/documents/convention.pdf",
        "/media/machina/attachments/piece.txt",
        "/media/",
        "/media/images/",
    ],
)
def test_dev_media_refuses_everything_outside_the_public_folders(dev_media, client_for, path):
    for role in ("anonymous", "staff"):
        assert client_for(role).get(path).status_code == 404


def test_dev_media_never_reaches_private_files(dev_media, files, client_for):
    for name in (files.claim.invoice.name, files.photo_row.image.name):
        assert client_for("staff").get(f"/media/{name}").status_code == 404


# ---------------------------------------------------------------------------- migration


def test_the_migration_moves_existing_uploads_out_of_the_public_folder(
    held, fund, media_roots, client_for, django_capture_on_commit_callbacks
):
    public, private = media_roots
    # As the old code stored them: in MEDIA_ROOT, keeping the uploaded name's extension.
    old_files = {
        "animations/factures/aaaa.html": WRAPPED_HTML,
        "animations/factures/bbbb.pdf": PDF,
        "animations/photos/cccc.jpg": jpeg(),
        "animations/thumbs/dddd.jpg": jpeg((16, 12)),
    }
    for name, content in old_files.items():
        (public / name).parent.mkdir(parents=True, exist_ok=True)
        (public / name).write_bytes(content)
    refused = Reimbursement.objects.create(
        booking=held,
        fund=fund,
        requested_amount=10,
        state=Reimbursement.State.REFUSED,
        invoice="animations/factures/aaaa.html",
    )
    paid = Reimbursement.objects.create(
        booking=held, fund=fund, requested_amount=10, invoice="animations/factures/bbbb.pdf"
    )
    photo = BookingPhoto.objects.create(
        booking=held,
        image="animations/photos/cccc.jpg",
        thumbnail="animations/thumbs/dddd.jpg",
        alt_text="Partie",
    )

    for _run in range(2):  # a second run finds nothing left to move
        with django_capture_on_commit_callbacks(execute=True):
            move_uploads.to_private(apps, None)

    assert not [path for path in public.rglob("*") if path.is_file()]
    refused.refresh_from_db(), paid.refresh_from_db(), photo.refresh_from_db()
    assert refused.invoice.name == "animations/factures/aaaa.bin"
    assert paid.invoice.name == "animations/factures/bbbb.pdf"
    assert (private / refused.invoice.name).read_bytes() == WRAPPED_HTML
    assert (private / paid.invoice.name).read_bytes() == PDF
    assert (private / photo.image.name).read_bytes() == old_files["animations/photos/cccc.jpg"]
    response = client_for("staff").get(reverse("events:invoice", args=[refused.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="facture-{refused.pk}.bin"'
    assert response["Content-Security-Policy"] == "sandbox"

    with django_capture_on_commit_callbacks(execute=True):
        move_uploads.to_public(apps, None)
    assert (public / "animations/factures/bbbb.pdf").read_bytes() == PDF
    assert not [path for path in private.rglob("*") if path.is_file()]
