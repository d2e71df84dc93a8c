"""The platform's Meilisearch index, over community.lib.meilisearch_client."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator

from django.conf import settings

from community.lib.meilisearch_client import Client, EngineError, EngineUnavailable

from .config import index_settings

DOCUMENTS = "documents"
# Meilisearch refuses a request body above 100 MB (--http-payload-size-limit): 5,000 pages of
# 20,000 characters would already weigh more.
PAYLOAD_BYTES = 32 * 1024 * 1024


def encode(document: dict) -> bytes:
    """One NDJSON line; UTF-8 as is (French text escaped as \\u00e9 would weigh more)."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def payloads(documents: Iterable[dict]) -> Iterator[bytes]:
    """The documents as NDJSON bodies of at most PAYLOAD_BYTES (one larger document alone)."""
    lines: list[bytes] = []
    size = 0
    for document in documents:
        line = encode(document)
        if lines and size + len(line) > PAYLOAD_BYTES:
            yield b"".join(lines)
            lines, size = [], 0
        lines.append(line)
        size += len(line)
    if lines:
        yield b"".join(lines)


def configured() -> bool:
    return bool(settings.MEILISEARCH_URL)


def query_timeout() -> float:
    return settings.SEARCH_QUERY_TIMEOUT


def write_timeout() -> float:
    return settings.SEARCH_WRITE_TIMEOUT


class Engine(Client):
    """The platform's index in Meilisearch: its names, documents and queries."""

    def __init__(
        self, url: str | None = None, api_key: str | None = None, prefix: str | None = None
    ):
        super().__init__(
            url if url is not None else settings.MEILISEARCH_URL,
            api_key if api_key is not None else settings.MEILISEARCH_API_KEY,
        )
        self.prefix = prefix if prefix is not None else settings.MEILISEARCH_INDEX_PREFIX

    # -- names -----------------------------------------------------------------------------
    @property
    def live_uid(self) -> str:
        return f"{self.prefix}_{DOCUMENTS}"

    def build_uid(self) -> str:
        return f"{self.live_uid}_build_{time.strftime('%Y%m%d%H%M%S')}_{time.time_ns() % 10**6}"

    # -- indexes -----------------------------------------------------------------------------
    def index_exists(self, uid: str) -> bool:
        try:
            self.request("GET", f"indexes/{uid}")
        except EngineError as error:
            if getattr(error, "code", None) == "index_not_found":
                return False
            raise
        return True

    def create_index(self, uid: str, timeout: float = 30.0) -> None:
        """Create the index (if missing) and apply the French settings."""
        if not self.index_exists(uid):
            try:
                self.wait(
                    self.request("POST", "indexes", {"uid": uid, "primaryKey": "id"}), timeout
                )
            except EngineError as error:
                if "index_already_exists" not in str(error):
                    raise
        self.wait(self.request("PATCH", f"indexes/{uid}/settings", index_settings()), timeout)

    def ensure_live_index(self) -> None:
        self.create_index(self.live_uid)

    def delete_index(self, uid: str, timeout: float = 30.0) -> None:
        try:
            self.wait(self.request("DELETE", f"indexes/{uid}"), timeout)
        except EngineError as error:
            if "index_not_found" not in str(error):
                raise

    def swap(self, live: str, build: str, timeout: float = 30.0) -> None:
        self.wait(self.request("POST", "swap-indexes", [{"indexes": [live, build]}]), timeout)

    def list_indexes(self) -> list[str]:
        result = self.request("GET", "indexes?limit=1000")
        return [entry["uid"] for entry in result["results"]]

    def count(self, uid: str | None = None) -> int:
        return self.request("GET", f"indexes/{uid or self.live_uid}/stats")["numberOfDocuments"]

    # -- documents -------------------------------------------------------------------------
    def add(self, uid: str, documents: list[dict]) -> dict:
        return self.add_ndjson(uid, b"".join(encode(document) for document in documents))

    def add_ndjson(self, uid: str, payload: bytes, timeout: float | None = None) -> dict:
        """Add documents already encoded one per line (see ``encode``), in one task."""
        return self.request(
            "POST", f"indexes/{uid}/documents?primaryKey=id", ndjson=payload, timeout=timeout
        )

    def delete(self, uid: str, ids: list[str]) -> dict:
        return self.request("POST", f"indexes/{uid}/documents/delete-batch", ids)

    def get_document_ids(self, uid: str | None = None, batch: int = 1000) -> set[str]:
        ids: set[str] = set()
        offset = 0
        while True:
            page = self.request(
                "GET",
                f"indexes/{uid or self.live_uid}/documents?fields=id&limit={batch}&offset={offset}",
            )
            ids.update(d["id"] for d in page["results"])
            offset += batch
            if offset >= page["total"]:
                return ids

    # -- queries ---------------------------------------------------------------------------
    def search(self, body: dict, uid: str | None = None, timeout: float | None = None) -> dict:
        return self.request(
            "POST",
            f"indexes/{uid or self.live_uid}/search",
            body,
            timeout=timeout or query_timeout(),
        )


_engines: dict[tuple, Engine] = {}


def get_engine() -> Engine:
    """The engine that writes (indexes, documents, settings), with the admin key; for the
    current settings (tests change them); EngineUnavailable if unset."""
    return _engine_with(settings.MEILISEARCH_API_KEY)


def get_search_engine() -> Engine:
    """The engine that answers the site's queries, with the search-only key: a leaked key of
    the web process can read the site's indexes, never change or delete them. Development and
    tests may leave MEILISEARCH_SEARCH_KEY unset: queries then use the admin key (production
    settings require it)."""
    return _engine_with(settings.MEILISEARCH_SEARCH_KEY or settings.MEILISEARCH_API_KEY)


def _engine_with(api_key: str) -> Engine:
    if not configured():
        raise EngineUnavailable("MEILISEARCH_URL is not set")
    key = (settings.MEILISEARCH_URL, api_key, settings.MEILISEARCH_INDEX_PREFIX)
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = Engine(api_key=api_key)
    return engine


def ensure_search_key(engine: Engine) -> str:
    """The search-only key of the engine's index prefix, created with the admin key when
    missing; found again by its description, so running it twice creates one key."""
    description = f"Réseau 1000 cafés : recherche du site ({engine.prefix})"
    keys = engine.request("GET", "keys?limit=1000")["results"]
    for key in keys:
        if key.get("description") == description:
            return key["key"]
    created = engine.request(
        "POST",
        "keys",
        {
            "description": description,
            "actions": ["search"],
            "indexes": [f"{engine.prefix}_*"],
            "expiresAt": None,
        },
    )
    return created["key"]
