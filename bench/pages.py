"""Throughput and p99 latency of the site's pages against a bare Django "hello" view.

    .venv/bin/python bench/pages.py [--server gunicorn|uvicorn] [--client wrk|python]
                                    [--clients C] [--wrk-seconds S] [--json]

Builds a throw-away SQLite database in a temporary folder (migrate + seed_demo, a member
with a session, a public topic of 100 posts), starts ONE server worker on a free localhost
port serving the whole site plus, in the same process: a "hello" view through the site's
middleware (/bench-hello/), the same view without any middleware (/bench-bare/), and
machina's stock index and topic views with machina's stock templates (/bench-machina/), the
peer of the forum pages. Loads each URL, anonymously then as the member, with wrk (one
thread, C connections, S seconds, on the CPU the server is not pinned to; the issue's
`wrk -t1 -c4`), prints req/s, p99 and queries for each URL and the ratios to hello and to the
peer (or, with --json, {"hello": {...}, "bare": {...}, "pages": [...]}), then stops the server
and removes the folder. See bench/README.md.

This file is also the bench server's URLconf and application factory (module `pages`), so
the bench views need no change to the project's own settings or URL map.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
sys.path.insert(0, str(PROJECT_ROOT))
from tests.ports import free_port  # noqa: E402

HELLO_PATH = "/bench-hello/"


# --- Inside the server process --------------------------------------------------------------

STOCK_PREFIX = "/bench-machina/"
BARE_PATH = "/bench-bare/"
# Where the launcher writes the stock templates' base.html (machina's own _base.html).
STOCK_TEMPLATES_ENV = "BENCH_STOCK_TEMPLATES"
QUERY_COUNT_HEADER = "X-Bench-Queries"


def hello(request):
    from django.http import HttpResponse
    from django.utils.cache import add_never_cache_headers

    response = HttpResponse("Bonjour", content_type="text/plain; charset=utf-8")
    # Never kept by the page cache: hello measures the whole middleware stack each time.
    add_never_cache_headers(response)
    return response


def _stock_machina(view_class):
    """machina's view with its stock templates and its stock permission handler."""
    from django.views.decorators.cache import never_cache
    from machina.apps.forum_permission.handler import PermissionHandler

    stock = type(f"Stock{view_class.__name__}", (view_class,), {"template_engine": "stock"})
    view = never_cache(stock.as_view())  # machina has no page cache

    def stock_view(request, **kwargs):
        request.forum_permission_handler = PermissionHandler()
        return view(request, **kwargs)

    return stock_view


def __getattr__(name: str):
    # Django reads `urlpatterns` lazily, once settings are ready: the bench routes first, then
    # the site's own URL map, untouched.
    if name == "urlpatterns":
        from django.urls import path
        from machina.apps.forum.views import IndexView
        from machina.apps.forum_conversation.views import TopicView

        from community.urls import urlpatterns as site_urlpatterns

        stock = STOCK_PREFIX.strip("/")
        return [
            path(HELLO_PATH.strip("/") + "/", hello),
            path(BARE_PATH.strip("/") + "/", hello),
            path(f"{stock}/", _stock_machina(IndexView)),
            path(
                f"{stock}/forum/<str:forum_slug>-<int:forum_pk>/topic/<str:slug>-<int:pk>/",
                _stock_machina(TopicView),
            ),
            *site_urlpatterns,
        ]
    raise AttributeError(name)


def _setup_django() -> None:
    sys.path[:0] = [str(PROJECT_ROOT / "site"), str(PROJECT_ROOT)]
    import django
    from django.conf import settings
    from machina import MACHINA_MAIN_TEMPLATE_DIR

    site_engine = settings.TEMPLATES[0]
    stock_engine = {
        "BACKEND": site_engine["BACKEND"],
        "NAME": "stock",
        "DIRS": [os.environ[STOCK_TEMPLATES_ENV], MACHINA_MAIN_TEMPLATE_DIR],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "machina.core.context_processors.metadata",
            ]
        },
    }
    settings.TEMPLATES = [*settings.TEMPLATES, stock_engine]
    django.setup()
    settings.ROOT_URLCONF = "pages"


def _bare_and_site(build):
    """The site's handler, and the same without any middleware."""
    from django.test.utils import override_settings

    site = build()
    with override_settings(MIDDLEWARE=[]):
        bare = build()
    return bare, site


def wsgi_app():
    """gunicorn 'pages:wsgi_app()'."""
    _setup_django()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    bare, site = _bare_and_site(WSGIHandler)

    def app(environ, start_response):
        handler = bare if environ.get("PATH_INFO") == BARE_PATH else site
        if "HTTP_X_BENCH_QUERIES" not in environ:
            return handler(environ, start_response)
        # Asked once per page by the launcher: the response says how many queries it cost.
        count = 0

        def counted(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, (QUERY_COUNT_HEADER, str(count))], exc_info)

        with connection.execute_wrapper(counted):
            return handler(environ, start)

    return app


def asgi_app():
    """uvicorn --factory pages:asgi_app (no query counts)."""
    _setup_django()
    from django.core.handlers.asgi import ASGIHandler

    bare, site = _bare_and_site(ASGIHandler)

    async def app(scope, receive, send):
        handler = bare if scope.get("path") == BARE_PATH else site
        await handler(scope, receive, send)

    return app


def seed_bench() -> None:
    """Run in the bench database (manage.py shell): a member signed in, a public topic of
    100 posts; prints what the launcher needs as JSON."""
    import json

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from machina.apps.forum_conversation.models import Post, Topic

    from community.accounts.models import MembershipStatus, Role, User
    from community.accounts.roles import sync_role_groups
    from community.places.models import Commune
    from forum.chat.access import can_join
    from forum.chat.models import Room
    from forum.tree import area
    from toolkit.models import ToolkitPage
    from webinars.models import WebinarPage

    member = User.objects.create_user(
        email="banc-essai@example.org",
        display_name="Maire du banc d'essai",
        role=Role.ELECTED,
        membership_status=MembershipStatus.APPROVED,
        commune=Commune.objects.first(),
    )
    sync_role_groups(member)
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()

    public = area("public")
    topic = Topic.objects.create(
        forum=public,
        subject="Cent messages pour le banc d'essai",
        poster=member,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
        approved=True,
    )
    for n in range(100):
        Post.objects.create(
            topic=topic,
            poster=member,
            subject=topic.subject,
            content=f"Message {n} : ouverture du café, horaires, bénévoles.",
            approved=True,
        )
    topic.refresh_from_db()
    rooms = Room.objects.order_by("pk")
    room = next((r for r in rooms if can_join(member, r)), None)

    def url(page) -> str | None:
        return page.url if page is not None else None

    print(
        json.dumps(
            {
                "session": session.session_key,
                "forum": f"/forum/forum/{public.slug}-{public.pk}/",
                "topic": f"forum/{public.slug}-{public.pk}/topic/{topic.slug}-{topic.pk}/",
                "chat_room": f"/chat/{room.slug}/" if room else None,
                "toolkit_page": url(ToolkitPage.objects.live().public().order_by("pk").first()),
                "webinar_page": url(WebinarPage.objects.live().public().order_by("pk").first()),
            }
        )
    )


# --- The launcher -----------------------------------------------------------------------------

ANONYMOUS, MEMBER = "anonymous", "member"


@dataclass
class Page:
    label: str
    path: str
    who: str
    peer: str | None = None  # the label of the page measured as its peer


@dataclass
class Result:
    page: Page
    requests: int
    errors: int
    seconds: float
    p99_ms: float
    queries: int | None = None

    def combined(self, other: Result) -> Result:
        return Result(
            self.page,
            self.requests + other.requests,
            self.errors + other.errors,
            self.seconds + other.seconds,
            max(self.p99_ms, other.p99_ms),
            self.queries,
        )

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def server_env(workdir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community.settings.dev",
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        # WhiteNoise warns that collectstatic never ran: static files are not measured.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        # No Redis, no Meilisearch: local memory and the database fallback, as `make run`
        # without services.
        "REDIS_URL": "",
        "MEILISEARCH_URL": "",
        STOCK_TEMPLATES_ENV: str(workdir / "stock-templates"),
    }


def prepare_database(env: dict[str, str], log: Callable[[str], None]) -> dict:
    """migrate, seed_demo, then seed_bench(); returns what seed_bench printed."""
    stock = Path(env[STOCK_TEMPLATES_ENV])
    stock.mkdir()
    # machina's stock templates extend MACHINA_BASE_TEMPLATE_NAME ("base.html" here, the
    # site's): in the stock engine, it is machina's own layout.
    (stock / "base.html").write_text('{% extends "_base.html" %}\n')
    manage = [str(VENV_BIN / "python"), str(PROJECT_ROOT / "manage.py")]
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, **quiet)
    seeded = subprocess.run([*manage, "seed_demo"], **quiet)
    if seeded.returncode != 0:
        last_line = (seeded.stderr.strip().splitlines() or ["?"])[-1]
        raise SystemExit(f"seed_demo failed: {last_line}")
    code = f"import sys; sys.path.insert(0, {str(BENCH_DIR)!r}); import pages; pages.seed_bench()"
    out = subprocess.run(
        [*manage, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_server(kind: str, port: int, env: dict[str, str]) -> subprocess.Popen:
    if kind == "gunicorn":
        command = [
            str(VENV_BIN / "gunicorn"),
            "--chdir",
            str(BENCH_DIR),
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "pages:wsgi_app()",
        ]
    else:
        command = [
            str(VENV_BIN / "uvicorn"),
            "--app-dir",
            str(BENCH_DIR),
            "--factory",
            "pages:asgi_app",
            "--workers",
            "1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
    return subprocess.Popen(command, env=env, start_new_session=True)


def pin(server: subprocess.Popen) -> str:
    """Server on CPU 0, clients on the others, as DESIGN.md's measurements were taken."""
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cpus) < 2:
        return "not pinned (one CPU)"
    os.sched_setaffinity(server.pid, {cpus[0]})
    os.sched_setaffinity(0, set(cpus[1:]))
    return f"server pinned to CPU {cpus[0]}, clients on {len(cpus) - 1} other CPU(s)"


# A signed-in member's browser holds the CSRF cookie set at sign-in: without it, every page
# with a form (the header's sign-out button) would set a new one.
MEMBER_CSRF_COOKIE = "b" * 32


def request_headers(who: str, session: str, **extra: str) -> dict[str, str]:
    headers = {"Host": "localhost", "Accept-Encoding": "identity", **extra}
    if who == MEMBER:
        headers["Cookie"] = f"sessionid={session}; csrftoken={MEMBER_CSRF_COOKIE}"
    return headers


def get(
    port: int, path: str, headers: dict[str, str], timeout: float = 30
) -> tuple[int, bytes, http.client.HTTPResponse]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response
    finally:
        connection.close()


def wait_until_up(port: int, server: subprocess.Popen, deadline: float = 60) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with code {server.returncode}")
        try:
            if get(port, HELLO_PATH, {"Host": "localhost"}, timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def measure(
    port: int, page: Page, headers: dict[str, str], total: int, clients: int, max_seconds: float
) -> Result:
    """`total` requests, or fewer if `max_seconds` run out first (a loaded machine)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = iter(range(total))
    deadline = time.perf_counter() + max_seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if next(remaining, None) is None or time.perf_counter() > deadline:
                    break
            started = time.perf_counter()
            try:
                connection.request("GET", page.path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()  # gunicorn's sync worker: a new connection each time
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += not ok
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
    return Result(page, len(latencies), errors, elapsed, p99)


# wrk writes durations with a unit: microseconds, milliseconds, seconds, minutes.
WRK_SECONDS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def measure_with_wrk(
    port: int, page: Page, headers: dict[str, str], clients: int, seconds: float
) -> Result:
    """`clients` connections from one wrk thread for `seconds`: a client in C, which the
    fastest URLs (hello, the bare view, kept visitors' pages) do not saturate, where the
    Python threads of `measure` do and so understate them."""
    command = ["wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s", "--latency"]
    for name, value in headers.items():
        if name.lower() != "host":
            command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{page.path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    summary = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", output)
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)$", output, re.MULTILINE)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: ([^\n]+)", output)
    errors = int(failed.group(1)) if failed else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Result(
        page,
        int(summary.group(1)),
        errors,
        float(summary.group(2)) * WRK_SECONDS[summary.group(3)],
        float(p99.group(1)) * WRK_SECONDS[p99.group(2)] * 1000,
    )


def pages_to_measure(seeded: dict) -> list[Page]:
    """Every page type, anonymously and as the member; the forum index and topic have
    machina's stock views as peers. Pages that need no fixed address come from seed_bench."""
    topic = seeded["topic"]
    shared = [
        ("home", "/"),
        ("toolkit listing", "/boites-a-outils/"),
        ("toolkit page", "/boites-a-outils/mener-une-consultation-citoyenne/"),
        ("webinar list", "/webinaires/"),
        ("webinar page", seeded["webinar_page"]),
        ("forum index", "/forum/"),
        ("forum", seeded["forum"]),
        ("topic (100 posts)", f"/forum/{topic}"),
        ("animations catalogue", "/animations/"),
        ("animations agenda", "/animations/agenda/"),
        ("search page", "/recherche/?q=caf%C3%A9"),
        ("search API", "/api/search?q=caf%C3%A9"),
        ("stock machina index", STOCK_PREFIX),
        ("stock machina topic", f"{STOCK_PREFIX}{topic}"),
    ]
    members_only = [("chat room", seeded["chat_room"]), ("member space", "/espace/")]
    peers = {"forum index": "stock machina index", "topic (100 posts)": "stock machina topic"}
    # Slugs keep their accents (machina's, Wagtail's): sent percent-encoded, as browsers do.
    pages = [
        Page(label, quote(path, safe="/?=&%"), who, peers.get(label))
        for who in (ANONYMOUS, MEMBER)
        for label, path in shared + (members_only if who == MEMBER else [])
        if path
    ]
    return pages


def check_pages(
    port: int, pages: list[Page], session: str, log: Callable[[str], None]
) -> list[Page]:
    """Pages that answer 200; the others are said and skipped (a page closed to visitors)."""
    kept = []
    for page in pages:
        status, _, _ = get(port, page.path, request_headers(page.who, session))
        if status == 200:
            kept.append(page)
        else:
            log(f"note: {page.label} ({page.who}) {page.path} answered {status}: skipped")
    return kept


def count_queries(port: int, page: Page, session: str) -> int | None:
    headers = request_headers(page.who, session, **{QUERY_COUNT_HEADER: "1"})
    header = get(port, page.path, headers)[2].getheader(QUERY_COUNT_HEADER)
    return int(header) if header is not None else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=["gunicorn", "uvicorn"], default="gunicorn")
    parser.add_argument("--requests", type=int, default=300, help="per page (hello: 5×)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections")
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk",
        help="wrk (scripts/provision.sh --system installs it), or Python threads, which the "
        "fastest URLs saturate: their ratios to hello then come out too high",
    )
    parser.add_argument(
        "--max-seconds", type=float, default=8, help="time limit per URL (fewer requests)"
    )
    parser.add_argument(
        "--wrk-seconds", type=float, default=3, help="wrk's duration per URL (--client wrk)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON only")
    args = parser.parse_args()
    if args.client == "wrk" and shutil.which("wrk") is None:
        raise SystemExit(
            "wrk is not installed: scripts/provision.sh --system installs it "
            "(or --client python, whose threads understate the fastest URLs)"
        )
    log = (lambda message: print(message, file=sys.stderr, flush=True)) if args.json else print

    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    server = None
    results: list[Result] = []
    try:
        env = server_env(workdir)
        began = time.monotonic()
        log(f"Preparing a seeded SQLite database in {workdir} …")
        seeded = prepare_database(env, log)
        port = free_port()
        server = start_server(args.server, port, env)
        placement = pin(server)
        wait_until_up(port, server)
        log(
            f"{args.server}, 1 worker, port {port}; {placement}; database ready in "
            f"{time.monotonic() - began:.0f} s"
        )
        session = seeded["session"]
        # The bare view and hello: the fixed cost every page pays.
        baselines = [Page("hello", HELLO_PATH, ANONYMOUS), Page("bare", BARE_PATH, ANONYMOUS)]
        pages = check_pages(port, pages_to_measure(seeded), session, log)
        # The baselines before and after the pages, their figures the sum of both: the
        # machine's load drifts during a run, and the ratios compare with the run's average.
        measured = []
        for page in baselines + pages + baselines:
            headers = request_headers(page.who, session)
            total = args.requests * 5 // 2 if page in baselines else args.requests
            warm_up = max(20, total // 10)
            measure(port, page, headers, warm_up, args.clients, args.max_seconds / 5)
            if args.client == "wrk":
                result = measure_with_wrk(port, page, headers, args.clients, args.wrk_seconds)
            else:
                result = measure(port, page, headers, total, args.clients, args.max_seconds)
            if args.server == "gunicorn":
                result.queries = count_queries(port, page, session)
            measured.append(result)
        n = len(baselines)
        results = [
            first.combined(last) for first, last in zip(measured[:n], measured[-n:], strict=True)
        ] + measured[n:-n]
        if any(r.errors for r in results):
            log("some requests failed: " + ", ".join(r.page.label for r in results if r.errors))
        if args.json:
            print(json.dumps(as_json(results), indent=2))
        else:
            report(results, args)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)
    if any(r.errors for r in results):
        raise SystemExit(1)


def as_json(results: list[Result]) -> dict:
    hello_result, bare_result = results[0], results[1]
    by_key = {(r.page.label, r.page.who): r for r in results}

    def figures(r: Result) -> dict:
        return {"rps": round(r.rps, 1), "p99_ms": round(r.p99_ms, 2)}

    pages = []
    for r in results[2:]:
        peer = by_key.get((r.page.peer, r.page.who)) if r.page.peer else None
        pages.append(
            {
                "label": r.page.label,
                "path": r.page.path,
                "who": r.page.who,
                **figures(r),
                "queries": r.queries,
                "ratio_to_hello": round(r.rps / hello_result.rps, 3),
                "peer": r.page.peer,
                "ratio_to_peer": round(r.rps / peer.rps, 3) if peer else None,
            }
        )
    return {
        "hello": figures(hello_result),
        "bare": figures(bare_result),
        "hello_to_bare": round(hello_result.rps / bare_result.rps, 3),
        "pages": pages,
    }


def report(results: list[Result], args: argparse.Namespace) -> None:
    data = as_json(results)
    print(f"\n{args.clients} connections ({args.client}), keep-alive when the server allows it\n")
    print(
        f"{'page':24} {'who':9} {'req/s':>7} {'p99 ms':>7} {'queries':>7} "
        f"{'/hello':>7} {'/peer':>6}"
    )
    for name in ("hello", "bare"):
        print(f"{name:24} {'':9} {data[name]['rps']:7.0f} {data[name]['p99_ms']:7.1f}")
    for page in data["pages"]:
        queries = "-" if page["queries"] is None else page["queries"]
        peer = "" if page["ratio_to_peer"] is None else f"{page['ratio_to_peer']:6.2f}"
        print(
            f"{page['label']:24} {page['who']:9} {page['rps']:7.0f} {page['p99_ms']:7.1f} "
            f"{queries:>7} {page['ratio_to_hello']:7.1%} {peer:>6}"
        )
    print(f"\nhello through the site's middleware / bare view: {data['hello_to_bare']:.1%}")


if __name__ == "__main__":
    main()
