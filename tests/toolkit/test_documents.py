"""The document rule (toolkit/permissions.py) beyond the matrix, and download counting."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from community.accounts.audience import Audience
from community.home.models import StandardPage
from tests.matrix import LOGIN, MEMBERSHIP, check
from toolkit.models import DocumentDownloads, ToolkitDocumentLink
from toolkit.services import record_download

from .conftest import document_block

pytestmark = pytest.mark.django_db


def test_a_document_opens_if_one_live_toolkit_using_it_is_visible(
    make_toolkit, make_document, client_for
):
    document = make_document()
    make_toolkit("Pour les élus", audience=Audience.ELECTED, body=[document_block(document)])
    check(client_for("anonymous"), document.url, LOGIN)
    check(client_for("manager"), document.url, 403)
    make_toolkit("Pour les gérants", audience=Audience.MANAGERS, body=[document_block(document)])
    check(client_for("manager"), document.url, 200)
    check(client_for("partner"), document.url, 403)


def test_a_draft_toolkit_opens_nothing_until_published(make_toolkit, make_document, client_for):
    document = make_document()
    draft = make_toolkit("Brouillon", body=[document_block(document)], live=False)
    assert ToolkitDocumentLink.objects.filter(page=draft, document=document).exists()
    check(client_for("anonymous"), document.url, LOGIN)
    check(client_for("elected"), document.url, 403)
    check(client_for("staff"), document.url, 200)
    draft.save_revision().publish()
    check(client_for("anonymous"), document.url, 200)
    draft.refresh_from_db()
    draft.unpublish()
    check(client_for("anonymous"), document.url, LOGIN)


def test_links_follow_the_live_content_not_drafts(make_toolkit, make_document, client_for):
    kept, added = make_document("Gardé", "garde.pdf"), make_document("Ajouté", "ajoute.pdf")
    page = make_toolkit("Fiche", body=[document_block(kept)])
    page.body = [document_block(added)]
    page.save_revision()  # a draft: the live page still offers `kept` only
    assert set(page.document_links.values_list("document__title", flat=True)) == {"Gardé"}
    check(client_for("anonymous"), added.url, LOGIN)
    page.get_latest_revision().publish()
    assert set(page.document_links.values_list("document__title", flat=True)) == {"Ajouté"}
    check(client_for("anonymous"), added.url, 200)
    check(client_for("anonymous"), kept.url, LOGIN)  # used by nothing any more: staff only


def test_an_unused_document_is_for_staff_only(make_document, client_for):
    document = make_document()
    check(client_for("anonymous"), document.url, LOGIN)
    check(client_for("pending"), document.url, MEMBERSHIP)
    response = client_for("elected").get(document.url)
    assert response.status_code == 403
    assert "seule l'équipe du réseau" in response.content.decode()
    check(client_for("staff"), document.url, 200)


def test_a_document_used_only_outside_toolkits_follows_wagtail(home, make_document, client_for):
    document = make_document()
    page = StandardPage(
        title="Adhérer",
        intro="",
        body=[
            {
                "type": "paragraph",
                "value": f'<p><a linktype="document" id="{document.pk}">Statuts</a></p>',
            }
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    check(client_for("anonymous"), document.url, 200)


def test_a_wrong_filename_is_a_404(make_toolkit, make_document, client_for):
    document = make_document()
    make_toolkit(body=[document_block(document)])
    check(client_for("anonymous"), f"/documents/{document.pk}/autre-nom.pdf", 404)


def test_served_downloads_are_counted_refused_ones_are_not(make_toolkit, make_document, client_for):
    document = make_document()
    make_toolkit(audience=Audience.MEMBERS, body=[document_block(document)])
    client_for("anonymous").get(document.url)
    client_for("manager").get(document.url)
    response = client_for("elected").get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert DocumentDownloads.objects.get(document=document).count == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_downloads_are_all_counted(make_document):
    document = make_document()
    per_thread, threads = 10, 6
    errors: list[BaseException] = []

    def download_many() -> None:
        try:
            for _ in range(per_thread):
                record_download(document)
        except BaseException as error:  # reported below: a lost count must fail the test
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=download_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert DocumentDownloads.objects.get(document=document).count == per_thread * threads
