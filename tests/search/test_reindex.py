"""Full rebuild against a real Meilisearch: payloads, edits during a rebuild, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from search import indexing
from search.engine import EngineError
from search.models import IndexBuild

pytestmark = pytest.mark.meilisearch


def _document(n: int, title: str | None = None) -> dict:
    return {
        "id": f"toolkit-{n}",
        "pk": str(n),
        "kind": "toolkit",
        "type": "toolkit",
        "title": title or f"Café des élus {n}",
        "text": "Une buvette où l'on se retrouve après le conseil municipal. " * 10,
        "url": f"/boites-a-outils/fiche-{n}/",
        "themes": ["Lien social"],
        "date": 1_700_000_000 + n,
        "published": True,
        "audience": "public",
    }


def _titles(engine, q: str) -> list[str]:
    answer = engine.search({"q": q, "attributesToRetrieve": ["title"], "limit": 100}, timeout=5)
    return [hit["title"] for hit in answer["hits"]]


def test_a_rebuild_larger_than_one_payload_is_sent_in_several(meili, monkeypatch):
    sent: list[bytes] = []
    add_ndjson = meili.add_ndjson

    def recording(uid, body, **kwargs):
        sent.append(body)
        return add_ndjson(uid, body, **kwargs)

    # About 900 bytes a document: three of them per payload.
    monkeypatch.setattr("search.engine.PAYLOAD_BYTES", 3000)
    monkeypatch.setattr(meili, "add_ndjson", recording)
    documents = [_document(n) for n in range(40)]
    result = indexing.build_and_swap(meili, [("toolkit", documents, 40)], track=False)

    assert result["documents"] == 40 and len(sent) >= 10
    assert all(len(body) <= 3000 for body in sent)
    assert meili.get_document_ids() == {d["id"] for d in documents}
    # UTF-8 goes through unescaped and comes back as written.
    assert "Café des élus 7" in _titles(meili, "cafe elus 7")


def test_an_edit_delivered_during_a_rebuild_is_not_overwritten(db, meili):
    indexing.build_and_swap(meili, [("toolkit", [_document(1), _document(2)], 2)])

    def rendered_while_someone_edits() -> Iterator[dict]:
        yield _document(1)  # read from the database before the edit
        # The edit commits and is delivered (to the live index and the one being built).
        indexing.send([_document(1, title="Café rebaptisé")], [], wait_timeout=30)
        yield _document(2)

    indexing.build_and_swap(meili, [("toolkit", rendered_while_someone_edits(), 2)], batch_size=1)

    assert _titles(meili, "rebaptise") == ["Café rebaptisé"]
    assert not IndexBuild.objects.exists()


def test_a_failed_rebuild_leaves_the_live_index_as_it_was(db, meili):
    indexing.build_and_swap(meili, [("toolkit", [_document(1), _document(2)], 2)])
    broken = {**_document(3), "id": "toolkit 3 !"}  # not a valid Meilisearch identifier

    with pytest.raises(EngineError, match="invalid_document_id"):
        indexing.build_and_swap(meili, [("toolkit", [_document(1), broken], 2)])

    assert meili.get_document_ids() == {"toolkit-1", "toolkit-2"}
    assert [uid for uid in meili.list_indexes() if uid.startswith(meili.live_uid)] == [
        meili.live_uid
    ]
    assert not IndexBuild.objects.exists()
