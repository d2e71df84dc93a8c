"""The PDF the demo, the tests and the smoke script make (community.lib.demo.pdf) shows French
text whole: accents, « », œ, € and the characters PDF strings escape."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community.lib.demo import pdf
from community.uploads import check_pdf
from tests.documents import pdf_lines

LINES = [
    "Étude de préfiguration du Café « L’Écho » à Saint-Jean-de-Brueil",
    "",
    "Redevance : 350 € par mois, œufs et pain déposés (dépôt) ; à, ç, ù, ï, ô, É, Œ",
    "Chemin C:\\Dossiers\\Mairie, parenthèse seule : )",
]


def test_a_reader_sees_every_line_with_its_accents():
    assert pdf_lines(pdf(*LINES)) == LINES


def test_the_upload_checks_accept_it():
    check_pdf(SimpleUploadedFile("etude.pdf", pdf(*LINES), "application/pdf"))


def test_a_character_the_font_cannot_show_is_refused_rather_than_dropped():
    with pytest.raises(UnicodeEncodeError):
        pdf("Réunion publique ✔")
