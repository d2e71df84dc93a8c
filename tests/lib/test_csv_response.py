"""community.spreadsheet.csv_response: a CSV file downloaded under its name."""

from __future__ import annotations

from community.spreadsheet import csv_response, excel_csv


def test_the_file_is_downloaded_as_utf8_csv_under_its_name():
    response = csv_response(excel_csv(["Année"], [[2025]]), "chiffres-impact-2025.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="chiffres-impact-2025.csv"'
    assert response.content.decode() == "\ufeffAnnée\r\n2025\r\n"
