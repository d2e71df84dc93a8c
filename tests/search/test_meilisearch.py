"""Against a real Meilisearch: French matching, permissions, outbox, reindex, fallback."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from community.accounts.audience import Audience
from community.lib import searchable
from events.models import AnimationKind
from search import indexing
from search.models import PendingOperation, SearchDocument

from .engines import flush

pytestmark = pytest.mark.meilisearch


def _api(client, **params):
    response = client.get(reverse("search:api"), params)
    assert response.status_code == 200, response.content
    return response.json()


def _titles(data) -> list[str]:
    return [hit["title"] for hit in data["hits"]]


def test_typos_and_missing_accents_find_the_right_documents(meili, make_toolkit, client):
    make_toolkit("Accessibilité du café aux personnes handicapées", body="Rampe, toilettes.")
    make_toolkit("Recruter un gérant", body="Fiche de poste, entretien, période d'essai.")
    make_toolkit("Subvention commerce rural", themes=("financements",), body="Dossier DETR.")
    AnimationKind.objects.create(
        slug="echecs-test", name="Initiation au jeu d'échecs", summary="Un atelier pour tous."
    )
    flush()
    data = _api(client, q="accesibilite")
    assert data["engine"] == "meilisearch"
    assert _titles(data)[0] == "Accessibilité du café aux personnes handicapées"
    assert _titles(_api(client, q="gerant"))[0] == "Recruter un gérant"
    assert "Initiation au jeu d'échecs" in _titles(_api(client, q="atelier echecs"))
    # Synonyms: "exploitant" for gérant, "bistrot" for café, "maire" finds nothing leaked.
    assert _titles(_api(client, q="exploitant"))[0] == "Recruter un gérant"
    assert "Accessibilité du café aux personnes handicapées" in _titles(_api(client, q="bistrot"))
    hit = _api(client, q="gerant")["hits"][0]
    assert "<mark>" in hit["excerpt"] or hit["excerpt"] == ""


def test_titles_rank_above_text(meili, make_toolkit, client):
    make_toolkit("Tenir la comptabilité", body="Un mot sur la guinguette en passant.")
    make_toolkit("La guinguette mobile", body="Une fête itinérante.")
    flush()
    assert _titles(_api(client, q="guinguette"))[0] == "La guinguette mobile"


def test_highlights_are_escaped(meili, make_toolkit, client):
    make_toolkit("Gérant & <script>alert(1)</script> co", body="<p>x &lt;img onerror=1&gt;</p>")
    flush()
    html = client.get(reverse("search:page"), {"q": "gérant"}).content.decode()
    assert "<script>alert" not in html
    assert "<mark>Gérant</mark> &amp;" in html


ROLES = ["anonymous", "pending", "refused", "partner", "elected", "manager", "staff"]
VISIBLE = {
    "anonymous": {"public"},
    "pending": {"public"},
    "refused": {"public"},
    "partner": {"public", "members"},
    "elected": {"public", "members", "elected"},
    "manager": {"public", "members", "managers"},
    "staff": {"public", "members", "elected", "managers"},
}


@pytest.fixture
def private_forum_type(monkeypatch):
    """A second access attribute (as the forum registers forum_id): forum 1 is for managers,
    forum 2 for staff only; the documents are planted directly in the database copy and index.
    """

    def readable(user):
        role = getattr(user, "role", None) if getattr(user, "is_approved_member", False) else None
        return {"manager": [1], "staff": [1, 2]}.get(role, [])

    doc_type = searchable.DocumentType(
        name="leaktest",
        group="forum",
        label="Forum",
        model=AnimationKind,
        to_document=lambda kind: None,
        access=("forum_id",),
        queryset=lambda: AnimationKind.objects.none(),
    )
    searchable.register(doc_type)
    # In place of the forum's own provider, which comes back after the test.
    monkeypatch.setitem(searchable._access, "forum_id", readable)
    yield doc_type
    searchable.unregister("leaktest")


def _plant_forum_documents(doc_type, engine=None):
    documents = [
        {
            "id": doc_type.document_id(n),
            "pk": str(n),
            "kind": doc_type.name,
            "type": "forum",
            "title": f"Fil rural forum{n}",
            "text": "Une discussion.",
            "url": f"/forum/sujet/{n}/",
            "themes": [],
            "date": 1_700_000_000 + n,
            "published": True,
            "forum_id": n,
        }
        for n in (1, 2)
    ]
    indexing.save_rows(documents)
    if engine is not None:
        engine.wait(engine.add(engine.live_uid, documents))


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_what_it_may_not(
    meili, make_toolkit, client_for, private_forum_type, role, engine_down
):
    for audience in Audience.values:
        make_toolkit(f"Fiche rurale {audience}", audience=audience)
    flush()
    _plant_forum_documents(private_forum_type, meili)
    client = client_for(role)
    data = _api(client, q="rural")
    assert data["engine"] == "meilisearch"
    toolkits = {t.rsplit(" ", 1)[1] for t in _titles(data) if t.startswith("Fiche")}
    forums = {t.rsplit(" ", 1)[1] for t in _titles(data) if t.startswith("Fil")}
    assert toolkits == VISIBLE[role]
    expected_forums = {"manager": {"forum1"}, "staff": {"forum1", "forum2"}}.get(role, set())
    assert forums == expected_forums
    assert data["total"] == len(VISIBLE[role]) + len(expected_forums)
    # Facets count only what the user may see.
    assert sum(data["facets"]["type"].values()) == data["total"]
    # The database fallback applies the very same rules.
    with engine_down():
        fallback = _api(client, q="rural")
    assert fallback["engine"] == "database"
    assert sorted(_titles(fallback)) == sorted(_titles(data))


def test_changes_are_delivered_after_commit(
    meili, make_toolkit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_toolkit("Publié tout de suite")
    assert not PendingOperation.objects.exists()
    assert meili.get_document_ids() == {f"toolkit-{page.pk}"}
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert meili.get_document_ids() == set()


def test_outbox_catches_up_after_an_outage(throwaway, make_toolkit, settings):
    kept = make_toolkit("Fiche conservée")
    edited = make_toolkit("Titre avant")
    removed = make_toolkit("Fiche supprimée")
    flush()
    engine = throwaway.engine(settings.MEILISEARCH_INDEX_PREFIX)
    assert engine.count() == 3

    throwaway.stop()
    created = make_toolkit("Fiche créée pendant la panne")
    edited.title = "Titre après"
    edited.save_revision().publish()
    removed.delete()
    result = indexing.deliver()
    assert result == {"delivered": 0, "failed": result["failed"]} and result["failed"] > 0
    assert PendingOperation.objects.filter(attempts=1).exists()
    # The site keeps answering from the database copy meanwhile.
    status = indexing.PendingOperation.objects.count()
    assert status > 0

    throwaway.start()
    call_command("search_sync", "--now", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not PendingOperation.objects.exists()
    expected = {f"toolkit-{page.pk}" for page in (kept, edited, created)}
    assert engine.get_document_ids() == expected
    assert set(SearchDocument.objects.values_list("doc_id", flat=True)) == expected
    answer = engine.search({"q": "titre", "attributesToRetrieve": ["title"]})
    assert [hit["title"] for hit in answer["hits"]] == ["Titre après"]


def test_reindex_swaps_atomically_while_searching(meili, make_toolkit, capsys):
    for n in range(25):
        make_toolkit(f"Fiche continue {n}")
    flush()
    call_command("search_reindex")
    # Every registered type is rebuilt (the seeded animation catalogue too).
    assert meili.count() == SearchDocument.objects.count() >= 25
    totals: list[int] = []
    stop = threading.Event()

    def search_loop():
        while not stop.is_set():
            answer = meili.search({"q": "fiche continue", "limit": 1}, timeout=5)
            totals.append(answer["estimatedTotalHits"])

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        for _ in range(3):
            call_command("search_reindex", "--batch-size", "5")
    finally:
        stop.set()
        thread.join(10)
    assert totals and set(totals) == {25}
    output = capsys.readouterr().out
    assert "toolkit : 5/25 documents" in output and "documents indexés" in output
    assert [uid for uid in meili.list_indexes() if uid.startswith(meili.live_uid)] == [
        meili.live_uid
    ]


def test_status_reports_counts_pending_and_health(meili, make_toolkit, capsys):
    make_toolkit("Fiche comptée")
    flush()
    make_toolkit("Fiche en attente")
    call_command("search_status")
    output = capsys.readouterr().out
    assert "Moteur : ok (Meilisearch 1." in output
    assert "toolkit : 1" in output
    assert "Opérations en attente : 0" not in output
    assert "L'index et la base diffèrent" in output


class FrozenServer:
    """Accepts connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(50)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self):
        self.sock.close()
        for connection in self.accepted:
            connection.close()


@pytest.mark.parametrize("state", ["frozen", "down"])
def test_fallback_when_the_engine_is_frozen_or_down(make_toolkit, client, settings, state):
    make_toolkit("Recruter un gérant")
    settings.MEILISEARCH_URL = ""
    flush()
    server = FrozenServer()
    if state == "down":
        server.close()
    settings.MEILISEARCH_URL = server.url
    settings.SEARCH_QUERY_TIMEOUT = 0.3
    try:
        started = time.monotonic()
        data = _api(client, q="gerant")
        assert time.monotonic() - started < 2
        assert data["engine"] == "database"
        assert _titles(data) == ["Recruter un gérant"]
        page = client.get(reverse("search:page"), {"q": "gerant"})
        assert page.status_code == 200
        assert "mode simplifié" in page.content.decode()
    finally:
        server.close()
