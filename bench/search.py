"""Search benchmark: /api/search against raw Meilisearch, and full reindex throughput.

    .venv/bin/python bench/search.py                     # 100,000 documents, 400 queries
    .venv/bin/python bench/search.py --documents 20000 --queries 200
    .venv/bin/python bench/search.py --database-topics 100000   # search_reindex from the database

Needs the Meilisearch of ``scripts/meilisearch.sh start`` (or MEILISEARCH_URL/API_KEY set).
Builds throwaway indexes ``bench_<pid>_*`` (deleted at the end), never touches the
development or test indexes nor databases (tables in a temporary SQLite file: empty for the
access rules of an anonymous visitor, then the forum topics of the search_reindex run),
stops by itself.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

WORDS = [
    "café",
    "bistrot",
    "commune",
    "village",
    "gérant",
    "élu",
    "maire",
    "atelier",
    "échecs",
    "concert",
    "guinguette",
    "tournée",
    "subvention",
    "commerce",
    "rural",
    "participation",
    "citoyenne",
    "lien",
    "social",
    "accessibilité",
    "financement",
    "recrutement",
    "ouverture",
    "exploitation",
    "animation",
    "cinéma",
    "photographie",
    "premiers",
    "secours",
    "repas",
    "nutrition",
    "activité",
    "physique",
    "théâtre",
    "compagnie",
    "association",
    "fonds",
    "remboursement",
    "bilan",
    "licence",
    "terrasse",
    "épicerie",
    "dépôt",
    "pain",
    "multiservice",
    "bénévoles",
    "conseil",
    "municipal",
    "budget",
]
QUERIES = [
    "gerant",
    "subvention commerce rural",
    "atelier echecs",
    "accesibilite",
    "guinguette",
    "cafe village",
    "premiers secours",
    "participation citoyenne",
    "recrutement gérant café",
    "tournee theatre",
]


def _environment() -> None:
    if not os.environ.get("MEILISEARCH_URL"):
        out = subprocess.run(
            [str(ROOT / "scripts" / "meilisearch.sh"), "env"], capture_output=True, text=True
        )
        if out.returncode != 0:
            sys.exit("Meilisearch does not answer: run scripts/meilisearch.sh start")
        for line in out.stdout.splitlines():
            key, _, value = line.removeprefix("export ").partition("=")
            os.environ[key] = value.strip("'\"")
    os.environ["MEILISEARCH_INDEX_PREFIX"] = f"bench_{os.getpid()}"
    # Some access rules read the database (the forums an anonymous visitor may read): empty
    # tables in a throwaway SQLite file, created from the models (no migrations: seconds).
    folder = tempfile.mkdtemp(prefix="bench-search-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/db"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.test")
    import django

    django.setup()
    from django.apps import apps
    from django.db import connection

    with connection.schema_editor() as editor:
        for model in apps.get_models():
            if model._meta.managed and not model._meta.proxy:
                editor.create_model(model)


def _documents(count: int, seed: int = 6):
    """Generated toolkit-like documents in the four audiences, as indexing.to_json makes."""
    rng = random.Random(seed)
    audiences = ["public", "members", "elected", "managers"]
    themes = ["Commerce local", "Lien social", "Financements", "Animations", "Gestion du café"]
    for n in range(count):
        title = " ".join(rng.choices(WORDS, k=rng.randint(3, 7))).capitalize()
        yield {
            "id": f"toolkit-{n}",
            "pk": str(n),
            "kind": "toolkit",
            "type": "toolkit",
            "title": title,
            "text": " ".join(rng.choices(WORDS, k=rng.randint(60, 160))),
            "url": f"/boites-a-outils/fiche-{n}/",
            "themes": rng.sample(themes, 2),
            "date": 1_600_000_000 + rng.randint(0, 150_000_000),
            "published": True,
            "audience": audiences[n % 4],
        }


def _server_pid(url: str) -> int | None:
    """The local Meilisearch process answering on the URL's port (None for a remote one)."""
    port = url.rstrip("/").rsplit(":", 1)[-1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if (
            argv
            and argv[0].endswith(b"meilisearch")
            and any(arg.endswith(f":{port}".encode()) for arg in argv)
        ):
            return int(entry.name)
    return None


def _server_cpu(pid: int | None) -> float:
    """CPU seconds the server has used: the machine is shared, wall time alone misleads."""
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _with_cpu(pid: int | None, run: Callable[[], dict]) -> tuple[dict, float, float]:
    """run()'s result, and the CPU seconds Meilisearch and this process spent on it."""
    own_before, server_before = _own_cpu(), _server_cpu(pid)
    result = run()
    return result, _server_cpu(pid) - server_before, _own_cpu() - own_before


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _indexing_threads(pid: int | None) -> str:
    if pid is None:
        return "?"
    names = [task.joinpath("comm").read_text() for task in Path(f"/proc/{pid}/task").iterdir()]
    return str(names.count("indexing-thread\n"))


def _engine_ceiling(engine, documents) -> float:
    """Documents/s of Meilisearch alone: same settings, payloads encoded before the clock."""
    from search.engine import payloads

    bodies = list(payloads(documents))
    uid = f"{engine.live_uid}_ceiling"
    started = time.perf_counter()
    engine.create_index(uid)
    tasks = [engine.add_ndjson(uid, body, timeout=60.0) for body in bodies]
    for task in tasks:
        engine.wait(task, timeout=600)
    count = engine.count(uid)
    elapsed = time.perf_counter() - started
    engine.delete_index(uid)
    return count / elapsed


def _forum_topics(count: int, seed: int = 7) -> None:
    """`count` approved forum topics of two posts each (a question, an answer) in one forum,
    written with bulk inserts (machina renders each post's markdown as it saves it)."""
    from django.utils import timezone
    from machina.apps.forum.models import Forum
    from machina.apps.forum_conversation.models import Post, Topic

    from community.accounts.models import User

    rng = random.Random(seed)
    poster = User.objects.create(email="bench@example.org", display_name="Banc d'essai")
    forum = Forum.objects.create(name="Commerce local", slug="commerce-local", type=0)
    now = timezone.now()
    for start in range(0, count, 5000):
        size = min(5000, count - start)
        topics = Topic.objects.bulk_create(
            Topic(
                forum=forum,
                poster=poster,
                subject=" ".join(rng.choices(WORDS, k=rng.randint(3, 7))).capitalize(),
                slug=f"sujet-{start + n}",
                type=0,
                status=0,
                approved=True,
                posts_count=2,
                last_post_on=now,
                created=now,
                updated=now,
            )
            for n in range(size)
        )
        Post.objects.bulk_create(
            Post(
                topic=topic,
                poster=poster,
                subject=topic.subject,
                content=" ".join(rng.choices(WORDS, k=rng.randint(30, 80))),
                approved=True,
                created=now,
                updated=now,
            )
            for topic in topics
            for _ in range(2)
        )


def _database_reindex(count: int, pid: int | None) -> None:
    """`manage.py search_reindex`'s own function over forum topics stored in the database:
    rendering each from its posts, the database copy, Meilisearch, the swap."""
    from search.indexing import reindex

    started = time.perf_counter()
    _forum_topics(count)
    print(
        f"search_reindex over {count} forum topics of 2 posts each, stored in the database "
        f"(written in {time.perf_counter() - started:.1f} s):"
    )
    result, server_cpu, own_cpu = _with_cpu(pid, lambda: reindex(batch_size=2000))
    print(
        f"  {result['documents']} documents in {result['seconds']:.1f} s = "
        f"{result['rate']:,.0f} documents/s (target >= 5,000/s); CPU: Meilisearch "
        f"{server_cpu:.1f} s, this process {own_cpu:.1f} s; peak RSS of this process "
        f"{_peak_rss_mib():.0f} MiB; load average now {os.getloadavg()[0]:.2f}"
    )


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--batch-size", type=int, default=10_000)
    parser.add_argument(
        "--no-ceiling",
        action="store_true",
        help="skip the baseline (the same documents straight into Meilisearch)",
    )
    parser.add_argument(
        "--database-topics",
        type=int,
        default=20_000,
        help="forum topics for the search_reindex run from the database (0: skip it)",
    )
    args = parser.parse_args()
    _environment()

    from django.contrib.auth.models import AnonymousUser
    from django.test import Client

    from community.lib import searchable
    from search import query
    from search.engine import get_engine
    from search.indexing import build_and_swap, save_rows

    engine = get_engine()
    pid = _server_pid(engine.url)
    print(
        f"Meilisearch {engine.health()['version']} at {engine.url}, index {engine.live_uid}, "
        f"{_indexing_threads(pid)} indexing thread(s), {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    try:
        result, server_cpu, own_cpu = _with_cpu(
            pid,
            lambda: build_and_swap(
                engine,
                [("toolkit", _documents(args.documents), args.documents)],
                batch_size=args.batch_size,
                track=False,
                progress=lambda message: print("  " + message, flush=True),
                # As search_reindex: each batch also rewrites the database copy (the fallback).
                on_batch=lambda name, batch: save_rows(batch),
            ),
        )
        print(
            f"Full reindex: {result['documents']} documents in {result['seconds']:.1f} s = "
            f"{result['rate']:,.0f} documents/s (target >= 5,000/s); peak RSS of this process "
            f"{_peak_rss_mib():.0f} MiB; load average now {os.getloadavg()[0]:.2f}"
        )
        # What the rebuild costs whatever the load: on an idle machine it cannot go faster
        # than this work spread over every CPU.
        documents = result["documents"]
        print(
            f"  CPU: Meilisearch {server_cpu:.1f} s ({documents / server_cpu:,.0f} documents "
            f"per CPU-second), this process {own_cpu:.1f} s; bound with {os.cpu_count()} idle "
            f"CPUs: {documents * os.cpu_count() / (server_cpu + own_cpu):,.0f} documents/s"
        )
        if not args.no_ceiling:
            ceiling = _engine_ceiling(engine, _documents(documents))
            print(
                f"Baseline, Meilisearch alone (same documents, NDJSON encoded beforehand): "
                f"{ceiling:,.0f} documents/s; reindex / baseline {result['rate'] / ceiling:.2f} "
                f"(load average now {os.getloadavg()[0]:.2f})"
            )

        # The very request /api/search sends, for an anonymous visitor.
        rules = searchable.visible_rules(AnonymousUser())
        client = Client(HTTP_HOST="127.0.0.1")
        raw, api = [], []
        for i in range(20):  # warm-up: connections, caches
            client.get("/api/search", {"q": QUERIES[i % len(QUERIES)]})
        for i in range(args.queries):
            q = QUERIES[i % len(QUERIES)]
            body = {
                "q": q,
                "filter": query.meilisearch_filter(rules, [], [], {}),
                "facets": list(query.FACETS),
                "page": 1,
                "hitsPerPage": query.PER_PAGE,
                "attributesToRetrieve": ["type", "title", "url", "themes", "date"],
                "attributesToHighlight": ["title", "text"],
                "attributesToCrop": ["text"],
                "cropLength": 30,
                "cropMarker": "…",
                "highlightPreTag": searchable.MARK_PRE,
                "highlightPostTag": searchable.MARK_POST,
            }
            started = time.perf_counter()
            engine.search(body, timeout=5)
            raw.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get("/api/search", {"q": q})
            api.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content
            assert response.json()["engine"] == "meilisearch", "the API fell back to the database"
        raw50, raw95 = _percentiles(raw)
        api50, api95 = _percentiles(api)
        print(f"Raw Meilisearch query ({len(raw)}): p50 {raw50:.2f} ms, p95 {raw95:.2f} ms")
        print(f"/api/search via Django   ({len(api)}): p50 {api50:.2f} ms, p95 {api95:.2f} ms")
        verdict = "OK" if api95 - raw95 <= 5 else "ABOVE TARGET"
        print(f"p95 overhead: +{api95 - raw95:.2f} ms (target <= +5 ms): {verdict}")
        print(f"Reindex throughput: {'OK' if result['rate'] >= 5000 else 'BELOW TARGET'}")
        if args.database_topics:
            _database_reindex(args.database_topics, pid)
    finally:
        for uid in engine.list_indexes():
            if uid.startswith(engine.live_uid):
                engine.delete_index(uid)


if __name__ == "__main__":
    main()
