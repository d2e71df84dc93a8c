"""Uploads for the events tests: a small valid PDF, a photo with metadata, an image bomb."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.lib.demo import pdf

PDF = pdf("Atelier échecs")


def invoice_pdf() -> SimpleUploadedFile:
    """The invoice a manager attaches to a reimbursement claim."""
    return SimpleUploadedFile("facture.pdf", PDF, content_type="application/pdf")


def jpeg_with_exif(size=(3000, 2000)) -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[0x010F] = "Appareil du voisin"  # camera maker
    exif[0x0132] = "2025:07:14 18:00:00"  # when it was taken
    output = io.BytesIO()
    Image.new("RGB", size, (150, 90, 40)).save(output, format="JPEG", exif=exif)
    return SimpleUploadedFile("atelier.jpg", output.getvalue(), content_type="image/jpeg")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def image_bomb() -> SimpleUploadedFile:
    """A 60-byte PNG whose header claims 100,000 × 100,000 pixels (never allocated here)."""
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 1, 0, 0, 0, 0)
    body = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("bombe.png", body, content_type="image/png")
