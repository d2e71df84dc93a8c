"""Hostile uploads: pages disguised as invoices, polyglots, image bombs, oversized files."""

from __future__ import annotations

import io

from PIL import Image

from community.lib.demo import pdf

SCRIPT = b"<script>fetch('/animations/fonds/').then(r => r.text()).then(alert)</script>"

# The reviewer's file: an HTML page between the two markers the old check looked for.
WRAPPED_HTML = b"%PDF-1.4\n<html><body>" + SCRIPT + b"</body></html>\n%%EOF\n"
SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    + SCRIPT
    + b"</svg>"
)
HTML = b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"
# A real, well-formed PDF that also carries a page: PDF readers open it, browsers would run it.
POLYGLOT_PDF = pdf("Polyglotte").replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<svg onload=x>\n", 1)
PDF_WITH_SCRIPT = pdf("Script en fin") + b"<html>" + SCRIPT + b"</html>\n"
# A page first, the PDF after: PDF readers look for the header in the first kilobyte.
HTML_THEN_PDF = b"<html>" + SCRIPT + b"</html>\n" + pdf("Après la page")


def jpeg(size: tuple[int, int] = (64, 48), exif_bytes: int = 0) -> bytes:
    exif = Image.Exif()
    if exif_bytes:
        exif[0x010E] = "x" * exif_bytes  # ImageDescription: a bulky metadata block
    output = io.BytesIO()
    Image.new("RGB", size, (150, 90, 40)).save(output, format="JPEG", exif=exif)
    return output.getvalue()


def exif_bomb_jpeg() -> bytes:
    """A 60 KB EXIF block and a frame header claiming 65,535 × 65,535 pixels."""
    data = bytearray(jpeg(exif_bytes=60_000))
    frame = data.index(b"\xff\xc0")  # baseline start-of-frame: length, precision, height, width
    data[frame + 5 : frame + 9] = b"\xff\xff\xff\xff"
    return bytes(data)


def png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (80, 60), "white").save(output, format="PNG")
    return output.getvalue()


def fifty_megabytes() -> bytes:
    """A PDF header followed by 50 MB: refused on its size before anything reads it."""
    return b"%PDF-1.4\n" + bytes(50 * 1024 * 1024)
