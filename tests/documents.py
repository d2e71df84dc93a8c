"""What a PDF reader shows of the documents the site makes (demo documents, invoices, CVs)."""

from __future__ import annotations

from PIL.PdfParser import PdfName, PdfParser

# The encoding a reader applies to a standard font's strings, as Python names it.
ENCODINGS = {PdfName(b"WinAnsiEncoding"): "cp1252"}


def pdf_lines(data: bytes) -> list[str]:
    """The text lines of a one-page PDF, read as a viewer does: Pillow's parser follows the
    cross-reference table to the page, its font and its content stream, whose strings are
    decoded in the font's encoding. A broken offset or an unknown font fails here."""
    parser = PdfParser(buf=data)
    [page] = [parser.read_indirect(ref) for ref in parser.pages]
    fonts = page[b"Resources"][b"Font"]
    [font] = [parser.read_indirect(ref) for ref in fonts.values()]
    assert font[b"Subtype"] == PdfName(b"Type1")  # a standard font, every reader has it
    encoding = ENCODINGS[font[b"Encoding"]]
    content = parser.read_indirect(page[b"Contents"]).decode()
    lines = []
    offset = content.find(b"(")
    while offset != -1:
        string, offset = PdfParser.get_value(content, offset)
        lines.append(string.decode(encoding))
        offset = content.find(b"(", offset)
    return lines
