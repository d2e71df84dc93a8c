"""Throughput and p99 latency of the site's pages against a bare Django "hello" view.

    .venv/bin/python bench/pages.py [--server gunicorn|uvicorn] [--requests N] [--clients C]

Builds a throw-away SQLite database in a temporary folder (migrate + seed_demo), starts ONE
server worker on a free localhost port serving the whole site plus a bare Django view at
/bench-hello/ (same process, same middleware, same settings), fires a bounded number of
requests per URL from concurrent client threads, prints req/s, p50 and p99 for each URL and
the ratios page/hello, then stops the server and removes the folder. See bench/README.md.

This file is also the bench server's URLconf and application factory (module `pages`), so the
hello view needs no change to the project's own settings or URL map.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
HELLO_PATH = "/bench-hello/"


# --- Inside the server process --------------------------------------------------------------


def hello(request):
    from django.http import HttpResponse

    return HttpResponse("Bonjour", content_type="text/plain; charset=utf-8")


def __getattr__(name: str):
    # Django reads `urlpatterns` lazily, once settings are ready: the hello route first, then
    # the site's own URL map, untouched.
    if name == "urlpatterns":
        from django.urls import path

        from community.urls import urlpatterns as site_urlpatterns

        return [path(HELLO_PATH.strip("/") + "/", hello), *site_urlpatterns]
    raise AttributeError(name)


def _setup_django() -> None:
    sys.path[:0] = [str(PROJECT_ROOT / "site"), str(PROJECT_ROOT)]
    import django
    from django.conf import settings

    django.setup()
    settings.ROOT_URLCONF = "pages"


def wsgi_app():
    """gunicorn 'pages:wsgi_app()'."""
    _setup_django()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def asgi_app():
    """uvicorn --factory pages:asgi_app."""
    _setup_django()
    from django.core.asgi import get_asgi_application

    return get_asgi_application()


# --- The launcher -----------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    path: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        # without services; pages under test do not search.
        "REDIS_URL": "",
        "MEILISEARCH_URL": "",
    }


# The demo content the measured pages need, seeded directly when the full seed_demo fails
# (a work-in-progress demo of an unrelated module must not stop the measurements).
FALLBACK_DEMOS = ("toolkit", "webinars")


def prepare_database(env: dict[str, str], log: Callable[[str], None]) -> None:
    manage = [str(VENV_BIN / "python"), str(PROJECT_ROOT / "manage.py")]
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "text": True}
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, **quiet)
    seeded = subprocess.run([*manage, "seed_demo"], **quiet)
    if seeded.returncode == 0:
        return
    last_line = (seeded.stderr.strip().splitlines() or ["?"])[-1]
    log(f"note: seed_demo failed ({last_line}); seeding {', '.join(FALLBACK_DEMOS)} only")
    for app in FALLBACK_DEMOS:
        code = f"from {app}.demo import seed; seed(print)"
        subprocess.run([*manage, "shell", "-c", code], **quiet)


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


def get(port: int, path: str, timeout: float = 30) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Host": "localhost"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_up(port: int, server: subprocess.Popen, deadline: float = 60) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with code {server.returncode}")
        try:
            if get(port, HELLO_PATH, timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def measure(
    port: int, label: str, path: str, total: int, clients: int, max_seconds: float
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
                connection.request("GET", path, headers={"Host": "localhost"})
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
    return Result(label, path, len(latencies), errors, elapsed, latencies)


def pages_to_measure(port: int, log: Callable[[str], None]) -> list[tuple[str, str]]:
    pages = [
        ("hello (bare Django view)", HELLO_PATH),
        ("toolkit listing", "/boites-a-outils/"),
        ("toolkit page", "/boites-a-outils/mener-une-consultation-citoyenne/"),
    ]
    status, _ = get(port, "/webinaires/")
    if status == 200:
        pages.append(("webinar list", "/webinaires/"))
    else:
        log(f"note: /webinaires/ answered {status}; the webinar list is skipped")
    for label, path in pages:
        status, body = get(port, path)
        if status != 200:
            raise SystemExit(f"{label} {path} answered {status}: is the demo seeded?")
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=["gunicorn", "uvicorn"], default="gunicorn")
    parser.add_argument("--requests", type=int, default=600, help="per page (hello: 5×)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument(
        "--max-seconds", type=float, default=15, help="time limit per URL (fewer requests)"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    server = None
    try:
        env = server_env(workdir)
        began = time.monotonic()
        print(f"Preparing a seeded SQLite database in {workdir} …", flush=True)
        prepare_database(env, print)
        port = free_port()
        server = start_server(args.server, port, env)
        placement = pin(server)
        wait_until_up(port, server)
        print(
            f"{args.server}, 1 worker, port {port}; {placement}; database ready in "
            f"{time.monotonic() - began:.0f} s",
            flush=True,
        )
        pages = pages_to_measure(port, print)
        results = []
        for label, path in pages:
            total = args.requests * (5 if path == HELLO_PATH else 1)
            warm_up = max(20, total // 10)
            measure(port, label, path, warm_up, args.clients, args.max_seconds / 5)
            results.append(measure(port, label, path, total, args.clients, args.max_seconds))
        report(results, args)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)


def report(results: list[Result], args: argparse.Namespace) -> None:
    hello_result = results[0]
    print(
        f"\n{args.clients} client threads, anonymous visitor, keep-alive when the server"
        " allows it\n"
    )
    print(f"{'page':28} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}")
    for r in results:
        print(
            f"{r.label:28} {r.requests:8d} {r.errors:6d} {r.rps:8.0f} "
            f"{r.percentile(50):7.1f} {r.percentile(99):7.1f}"
        )
    print("\nratios against hello (throughput page/hello, p99 page/hello)")
    for r in results[1:]:
        print(
            f"{r.label:28} throughput {r.rps / hello_result.rps:6.1%}   "
            f"p99 ×{r.percentile(99) / hello_result.percentile(99):.1f}"
        )
    if any(r.errors for r in results):
        raise SystemExit("some requests failed")
    spread = statistics.pstdev(hello_result.latencies) * 1000
    print(f"\n(hello latency standard deviation {spread:.1f} ms)")


if __name__ == "__main__":
    main()
