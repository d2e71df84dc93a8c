"""Registry, outbox and the database fallback: no Meilisearch needed (MEILISEARCH_URL unset)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.accounts.audience import Audience
from community.lib import searchable
from events.models import AnimationKind
from search.models import PendingOperation, SearchDocument
from search.text import database_excerpt, fold, highlighted
from tests.matrix import AUDIENCES

from .engines import flush

pytestmark = pytest.mark.usefixtures("no_engine")


def test_real_content_types_are_registered_by_autodiscovery():
    assert {"toolkit", "animation", "tour"} <= set(searchable.types())
    assert {"toolkit", "animation"} <= set(searchable.groups())
    assert searchable.get("tour").group == "animation"


def test_document_ids_only_use_safe_characters():
    doc_type = searchable.get("toolkit")
    assert doc_type.document_id(42) == "toolkit-42"
    assert doc_type.document_id("a b/é") == "toolkit-a_20_b_2f__e9_"


def test_a_type_whose_access_has_no_provider_is_hidden_from_everyone(staff_user):
    searchable.register(
        searchable.DocumentType(
            name="secret",
            label="Secret",
            model=AnimationKind,
            to_document=lambda kind: None,
            access=("clearance",),
        )
    )
    try:
        assert "secret" not in [name for name, _ in searchable.visible_rules(staff_user)]
    finally:
        searchable.unregister("secret")


def test_fold_keeps_positions():
    assert fold("Échecs À Gérer") == "echecs a gerer"
    assert len(fold("Œuvre ﬁn")) == len("Œuvre ﬁn")


def test_fold_maps_every_character_to_one_character_whatever_surrounds_it():
    # Excerpts are cut from the original text at the positions found in the folded one.
    text = "".join(chr(code) for code in range(0x30000) if not 0xD800 <= code < 0xE000)
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(char) for char in text)
    assert fold("İSTANBUL ΑΣ Straße ÇA") == "istanbul ασ straße ca"


def test_highlight_escapes_before_marking():
    html = highlighted("<script>alert(1)</script> \ue000café\ue001")
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>café</mark>"
    excerpt = database_excerpt("Un <b>gérant</b> recruté", ["gerant"])
    assert excerpt == "Un &lt;b&gt;<mark>gérant</mark>&lt;/b&gt; recruté"


def test_saving_content_fills_the_outbox_and_sync_fills_the_database_copy(make_toolkit):
    page = make_toolkit(
        "Recruter un gérant", body="Trouver la bonne personne.", themes=("commerce-local",)
    )
    assert PendingOperation.objects.filter(doc_type="toolkit", object_pk=str(page.pk)).exists()
    flush()
    assert not PendingOperation.objects.exists()
    document = SearchDocument.objects.get(doc_type="toolkit", object_pk=str(page.pk))
    assert document.title == "Recruter un gérant"
    assert document.url == page.url
    assert document.access == {"audience": "public"}
    assert document.themes == ["Commerce local"]
    assert "Trouver la bonne personne." in document.text


def test_unpublish_and_delete_remove_the_document(make_toolkit):
    page = make_toolkit("Ouvrir un café")
    other = make_toolkit("Fermer un café")
    flush()
    page.unpublish()
    other.delete()
    flush()
    assert not SearchDocument.objects.exists()


def test_a_draft_is_not_indexed_and_draft_edits_do_not_leak(make_toolkit):
    make_toolkit("Brouillon secret", live=False)
    page = make_toolkit("Version publiée")
    page.title = "Titre du brouillon"
    page.save_revision()
    flush()
    assert list(SearchDocument.objects.values_list("title", flat=True)) == ["Version publiée"]


def test_a_view_restricted_page_is_not_indexed(make_toolkit):
    from wagtail.models import PageViewRestriction

    page = make_toolkit("Page protégée")
    flush()
    assert SearchDocument.objects.count() == 1
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    flush()
    assert not SearchDocument.objects.exists()


def test_moving_a_page_updates_its_url(make_toolkit, home):
    page = make_toolkit("Page déplacée")
    flush()
    old_url = page.url
    page.move(home, pos="last-child")
    flush()
    page.refresh_from_db()
    assert page.url != old_url
    assert SearchDocument.objects.get().url == page.url


def test_animation_kinds_and_tours_are_indexed(db):
    flush()  # the seeded catalogue is saved during migrations (raw): index it
    kind = AnimationKind.objects.create(
        slug="atelier-echecs-test", name="Ateliers d'initiation aux échecs", summary="Jouer."
    )
    flush()
    document = SearchDocument.objects.get(doc_type="animation", object_pk=str(kind.pk))
    assert document.group == "animation"
    assert document.access == {"audience": Audience.PUBLIC}


def _api(client, **params):
    return client.get(reverse("search:api"), params)


def test_database_fallback_serves_the_api_with_accents_and_synonyms(make_toolkit, client):
    make_toolkit("Recruter un gérant pour le café", body="Comment trouver la bonne personne.")
    make_toolkit("Organiser un atelier d'échecs", body="Le jeu d'échecs au bistrot.")
    flush()
    response = _api(client, q="gerant")
    assert response.status_code == 200
    data = response.json()
    assert data["engine"] == "database"
    assert [hit["title"] for hit in data["hits"]] == ["Recruter un gérant pour le café"]
    assert data["hits"][0]["type"] == "toolkit"
    assert "<mark>gérant</mark>" in data["hits"][0]["excerpt"] or data["hits"][0]["excerpt"]
    assert set(data) >= {"query", "total", "engine", "hits", "facets"}
    # A synonym: "exploitant" finds the "gérant" toolkit.
    assert _api(client, q="exploitant").json()["total"] == 1
    assert _api(client, q="echecs").json()["total"] == 1


@pytest.mark.parametrize(("role", "visible"), AUDIENCES.items())
def test_database_fallback_never_leaks_private_audiences(make_toolkit, client_for, role, visible):
    for audience in Audience.values:
        make_toolkit(f"Fiche rurale {audience}", audience=audience)
    flush()
    data = _api(client_for(role), q="fiche rurale").json()
    assert data["engine"] == "database"
    assert {hit["title"].rsplit(" ", 1)[1] for hit in data["hits"]} == visible
    assert data["total"] == len(visible)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "obligatoire"),
        ({"q": "café", "page": "deux"}, "nombre entier"),
        ({"q": "café", "page": "0"}, "commence à 1"),
        ({"q": "café", "type": "recette"}, "Type inconnu"),
        ({"q": "x" * 201}, "limitée à 200"),
    ],
)
def test_bad_parameters_get_a_400_in_french(db, client, params, message):
    response = _api(client, **params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_type_filter_and_facets(make_toolkit, client):
    make_toolkit("Le café et la commune", themes=("financements",))
    AnimationKind.objects.create(slug="cafe-concert-test", name="Café-concert", summary="Musique.")
    flush()
    data = _api(client, q="café").json()
    assert data["facets"]["type"]["toolkit"] == 1
    assert data["facets"]["type"]["animation"] >= 1
    assert data["facets"]["themes"] == {"Financements": 1}
    only = _api(client, q="café", type="toolkit").json()
    assert [hit["type"] for hit in only["hits"]] == ["toolkit"]


def test_search_page_renders_results_notice_and_no_result_page(make_toolkit, client, settings):
    make_toolkit("Guide du gérant & co <2025")
    flush()
    response = client.get(reverse("search:page"), {"q": "gérant"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in html
    assert '<label for="id_q">' in html
    assert 'aria-live="polite"' in html  # the count is announced as it changes
    assert "1 résultat pour « gérant »" in html
    assert "Guide du <mark>gérant</mark> &amp; co &lt;2025" in html
    empty = client.get(reverse("search:page"), {"q": "zzzyx"}).content.decode()
    assert "Aucun résultat pour « zzzyx »" in empty
    assert "Recherches fréquentes" in empty
    assert client.get(reverse("search:page")).status_code == 200
    assert client.get(reverse("search:page"), {"q": "a", "page": "x"}).status_code == 400


def test_search_page_paginates(make_toolkit, client):
    for n in range(12):
        make_toolkit(f"Fiche pratique numéro {n}")
    flush()
    first = client.get(reverse("search:page"), {"q": "fiche pratique"}).content.decode()
    assert "12 résultats" in first and "page 1 sur 2" in first and 'rel="next"' in first
    second = client.get(reverse("search:page"), {"q": "fiche pratique", "page": 2})
    assert second.content.decode().count('class="search-hit ') == 2
    beyond = client.get(reverse("search:page"), {"q": "fiche pratique", "page": 9}).content.decode()
    assert "Cette page de résultats n'existe pas" in beyond
    assert 'href="?q=fiche%20pratique">Revenir à la première page' in beyond
    assert "Recherches fréquentes" not in beyond
