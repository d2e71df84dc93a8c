from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.accounts.models import User


def image_upload(size=(600, 400), image_format="PNG", name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 90, 40)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def png_bomb(width: int, height: int) -> bytes:
    """A tiny PNG header that announces a huge picture (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def member_client(client, elected_user):
    client.force_login(elected_user)
    return client


@pytest.mark.django_db
def test_member_changes_display_name_and_avatar_which_is_cropped_to_a_small_square(
    member_client, elected_user
):
    response = member_client.post(
        "/espace/profil/",
        {"display_name": "Marie Dupont", "avatar": image_upload((1200, 800), "JPEG", "p.jpg")},
    )

    assert response.status_code == 302
    elected_user.refresh_from_db()
    assert elected_user.display_name == "Marie Dupont"
    with Image.open(elected_user.avatar.path) as stored:
        assert stored.size == (256, 256)
        assert stored.format == "PNG"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("virus.png", b"MZ\x90\x00 not an image", content_type="image/png"),
            "n'est pas une image",
        ),
        (
            SimpleUploadedFile("bombe.png", png_bomb(100_000, 100_000), content_type="image/png"),
            "décompresse",
        ),
        (
            SimpleUploadedFile("grande.png", png_bomb(5000, 5000), content_type="image/png"),
            "trop grand",
        ),
        (image_upload((64, 64), "BMP", "photo.bmp"), "JPEG, PNG, GIF ou WebP"),
    ],
    ids=["fake", "decompression-bomb", "too-many-pixels", "bmp"],
)
def test_bad_avatar_gets_a_french_error_and_changes_nothing(
    member_client, elected_user, upload, message
):
    response = member_client.post(
        "/espace/profil/", {"display_name": "Nouveau Nom", "avatar": upload}
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["avatar"])
    stored = User.objects.get(pk=elected_user.pk)
    assert stored.display_name == elected_user.display_name
    assert not stored.avatar


@pytest.mark.django_db
def test_oversized_avatar_is_refused(member_client, elected_user, settings):
    settings.AVATAR_MAX_BYTES = 10_000
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * 20_000, content_type="image/png")

    response = member_client.post("/espace/profil/", {"display_name": "X", "avatar": big})

    assert "dépasse" in " ".join(response.context["form"].errors["avatar"])
    assert not User.objects.get(pk=elected_user.pk).avatar


@pytest.mark.django_db
def test_pending_member_may_edit_profile_but_sees_no_member_pages(client, pending_user):
    client.force_login(pending_user)

    assert client.get("/espace/profil/").status_code == 200
    assert client.get("/espace/membres/")["Location"] == "/adhesion/"


@pytest.mark.django_db
def test_directory_shows_approved_members_by_display_name_never_emails(
    member_client, manager_user, pending_user
):
    page = member_client.get("/espace/membres/").content.decode()

    assert "Gaston Gérant" in page
    assert manager_user.email not in page
    assert "Camille Candidate" not in page
