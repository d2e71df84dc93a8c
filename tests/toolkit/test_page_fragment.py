"""A toolkit's body and related toolkits are rendered once per set of audiences
(community/fragments.py): each reader sees the related toolkits they may read, a change shows
at once, and staff's download counts, which change without outdating pages, are never kept."""

from __future__ import annotations

import pytest

from community.accounts.audience import Audience

from .conftest import document_block

pytestmark = pytest.mark.django_db


def test_each_reader_sees_the_related_toolkits_they_may_read(make_toolkit, client_for):
    page = make_toolkit("Financer le café", themes=("financements",))
    make_toolkit("Pour les élus", audience=Audience.ELECTED, themes=("financements",))
    make_toolkit("Pour les gérants", audience=Audience.MANAGERS, themes=("financements",))
    for _ in range(2):
        elected = client_for("elected").get(page.url).content.decode()
        manager = client_for("manager").get(page.url).content.decode()
        assert "Pour les élus" in elected and "Pour les gérants" not in elected
        assert "Pour les gérants" in manager and "Pour les élus" not in manager


def test_a_changed_body_shows_at_once(make_toolkit, client_for):
    page = make_toolkit("Financer le café")
    client = client_for("elected")
    assert "Un texte utile." in client.get(page.url).content.decode()
    page.body = [{"type": "paragraph", "value": "<p>Un texte relu.</p>"}]
    page.save_revision().publish()
    content = client.get(page.url).content.decode()
    assert "Un texte relu." in content and "Un texte utile." not in content


def test_staff_see_each_download_counted_at_once(make_toolkit, make_document, client_for):
    document = make_document()
    page = make_toolkit(audience=Audience.MEMBERS, body=[document_block(document)])
    staff = client_for("staff")
    assert "Téléchargé" not in client_for("elected").get(page.url).content.decode()
    client_for("elected").get(document.url)
    assert "Téléchargé 1 fois" in staff.get(page.url).content.decode()
    assert "<dt>Téléchargements</dt><dd>1</dd>" in staff.get("/boites-a-outils/").content.decode()
    client_for("manager").get(document.url)
    assert "Téléchargé 2 fois" in staff.get(page.url).content.decode()
    assert "<dt>Téléchargements</dt><dd>2</dd>" in staff.get("/boites-a-outils/").content.decode()
