"""CPU time per request inside one process, without a server: what each page and each
middleware costs, steadier than req/s on a shared machine.

    .venv/bin/python bench/inprocess.py [--requests N] [--rounds R] [--ablate] [--layers]

Seeds the same throw-away SQLite database as bench/pages.py (migrate, seed_demo, a member
with a session, a topic of 100 posts), then calls the site's WSGI handler directly: each
page N times per round, the best round's mean CPU time (`time.process_time`), and the
queries of one more request. Besides the pages: the bare view (no middleware), hello through
the middleware, and two views only this tool mounts, /bench-member/ (the user loaded, no
template) and /bench-base/ (base.html alone: the header, footer and context processors
every member page renders). --ablate measures hello and /bench-base/ again without each
middleware in turn; --layers builds hello's stack up one middleware at a time and prints what
each adds (every stack measured once per round, the rounds alternated: steadier than the
ablation on a noisy machine).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import pages  # noqa: E402

MEMBER_PATH = "/bench-member/"
BASE_PATH = "/bench-base/"


def member_view(request):
    from django.http import HttpResponse

    return HttpResponse(request.user.display_name)


def base_view(request):
    from django.shortcuts import render

    return render(request, "base.html")


def __getattr__(name: str):
    # This module is the URLconf: its two views, then bench/pages.py's (hello, bare, site).
    if name == "urlpatterns":
        from django.urls import path
        from django.views.decorators.cache import never_cache

        return [
            path(MEMBER_PATH.strip("/") + "/", never_cache(member_view)),
            path(BASE_PATH.strip("/") + "/", never_cache(base_view)),
            *pages.urlpatterns,
        ]
    raise AttributeError(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per page and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ablate", action="store_true", help="without each middleware")
    parser.add_argument("--layers", action="store_true", help="hello, one middleware at a time")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-inprocess-"))
    try:
        env = pages.server_env(workdir)
        print(f"Preparing a seeded SQLite database in {workdir} …", file=sys.stderr)
        seeded = pages.prepare_database(env, print)
        os.environ.update(env)
        measure_all(seeded, args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure_all(seeded: dict, args: argparse.Namespace) -> None:
    pages._setup_django()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import override_settings

    settings.ROOT_URLCONF = "inprocess"
    logging.disable(logging.CRITICAL)  # an ablation without sessions fails on every request
    cookie = f"sessionid={seeded['session']}; csrftoken={pages.MEMBER_CSRF_COOKIE}"

    def call(handler, path: str, who: str) -> str:
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "HTTP_HOST": "localhost",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        if who == pages.MEMBER:
            environ["HTTP_COOKIE"] = cookie
        status = []
        body = handler(environ, lambda line, headers, exc_info=None: status.append(line))
        b"".join(body)
        body.close()
        return status[0]

    def cpu_us(handler, path: str, who: str) -> float:
        for _ in range(20):
            call(handler, path, who)
        best = float("inf")
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(args.requests):
                call(handler, path, who)
            best = min(best, (time.process_time() - started) / args.requests * 1e6)
        return best

    def queries(handler, path: str, who: str) -> tuple[str, int]:
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            status = call(handler, path, who)
        return status, count

    def handler_with(middleware: list[str]) -> WSGIHandler:
        with override_settings(MIDDLEWARE=middleware):
            return WSGIHandler()

    site = WSGIHandler()
    bare = handler_with([])
    fixed = [
        ("bare view", pages.BARE_PATH, pages.ANONYMOUS),
        ("hello", pages.HELLO_PATH, pages.ANONYMOUS),
        ("member loaded", MEMBER_PATH, pages.MEMBER),
        ("base.html", BASE_PATH, pages.MEMBER),
    ]
    measured = fixed + [
        (page.label, page.path, page.who)
        for page in pages.pages_to_measure(seeded)
        if page.who == pages.MEMBER and not page.path.startswith(pages.STOCK_PREFIX)
    ]
    results = []
    print(f"{'page':24} {'who':9} {'status':7} {'queries':>7} {'CPU µs':>8}")
    for label, path, who in measured:
        handler = bare if path == pages.BARE_PATH else site
        micros = cpu_us(handler, path, who)
        status, count = queries(handler, path, who)
        results.append({"label": label, "who": who, "queries": count, "cpu_us": round(micros)})
        print(f"{label:24} {who:9} {status[:3]:7} {count:7} {micros:8.0f}")
    if args.ablate:
        for label, path, who in fixed[1:2] + fixed[3:]:
            full = cpu_us(site, path, who)
            print(f"\n{label} ({who}) {full:.0f} µs; without:")
            for middleware in settings.MIDDLEWARE:
                kept = [m for m in settings.MIDDLEWARE if m != middleware]
                handler = handler_with(kept)
                name = middleware.rsplit(".", 1)[1]
                if not call(handler, path, who).startswith("200"):
                    print(f"  {name:36} the page fails without it")
                    continue
                micros = cpu_us(handler, path, who)
                print(f"  {name:36} {micros:7.0f} µs ({full - micros:+.0f})")
    if args.layers:
        stacks = [
            handler_with(settings.MIDDLEWARE[:depth])
            for depth in range(len(settings.MIDDLEWARE) + 1)
        ]
        best = [float("inf")] * len(stacks)
        for _ in range(args.rounds):
            for depth, handler in enumerate(stacks):
                best[depth] = min(best[depth], cpu_us(handler, pages.HELLO_PATH, pages.ANONYMOUS))
        print(f"\nhello through the first N middleware (µs; none: {best[0]:.0f}):")
        for depth, middleware in enumerate(settings.MIDDLEWARE, start=1):
            name = middleware.rsplit(".", 1)[1]
            print(f"  + {name:36} {best[depth]:7.0f} µs ({best[depth] - best[depth - 1]:+.0f})")
    print(json.dumps(results), file=sys.stderr)


if __name__ == "__main__":
    main()
