"""Production settings pass Django's deployment checks, and refuse to start half-configured.

Each case runs `manage.py check --deploy` in a fresh process with only the variables given,
as a deployment would, so nothing from the developer's shell or the test settings leaks in.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port
from tests.processes import stop

ROOT = Path(__file__).resolve().parent.parent


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "community.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "cafes.example.org,www.cafes.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://cafes.example.org",
        "WAGTAILADMIN_BASE_URL": "https://cafes.example.org",
        "DATABASE_URL": "postgres://cafes:motdepasse@db.example.org:5432/mille_cafes",
        "REDIS_URL": "redis://cache.example.org:6379/0",
        "MEILISEARCH_URL": "https://search.example.org",
        "MEILISEARCH_API_KEY": secrets.token_urlsafe(32),
        "MEILISEARCH_SEARCH_KEY": secrets.token_urlsafe(32),
        "EMAIL_HOST": "smtp.example.org",
        "DEFAULT_FROM_EMAIL": "Réseau 1000 cafés <contact@cafes.example.org>",
        "SECURITY_CONTACT_EMAIL": "securite@cafes.example.org",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media"),
        "PRIVATE_MEDIA_ACCEL_PREFIX": "/_private/",
    }
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = deploy_check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_with_s3_media_pass_the_deploy_check(tmp_path):
    env = production_env(
        tmp_path,
        MEDIA_ROOT=None,
        PRIVATE_MEDIA_ROOT=None,
        PRIVATE_MEDIA_ACCEL_PREFIX=None,
        MEDIA_S3_BUCKET="mille-cafes-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.org",
        MEDIA_S3_ACCESS_KEY="access",
        MEDIA_S3_SECRET_KEY=secrets.token_urlsafe(32),
    )
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_private_media_root_is_required_and_kept_apart_from_media_root(tmp_path):
    result = deploy_check(production_env(tmp_path, PRIVATE_MEDIA_ROOT=None))
    assert result.returncode != 0
    assert "The environment variable PRIVATE_MEDIA_ROOT is required" in result.stderr
    for inside in (str(tmp_path / "media" / "private"), str(tmp_path / "media")):
        result = deploy_check(production_env(tmp_path, PRIVATE_MEDIA_ROOT=inside))
        assert result.returncode != 0
        assert "PRIVATE_MEDIA_ROOT and MEDIA_ROOT must be separate folders" in result.stderr
    result = deploy_check(production_env(tmp_path, PRIVATE_MEDIA_ACCEL_PREFIX="_private"))
    assert result.returncode != 0
    assert "PRIVATE_MEDIA_ACCEL_PREFIX must start and end with /" in result.stderr


def test_missing_secret_key_fails_loudly(tmp_path):
    result = deploy_check(production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "variable",
    [
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
        "MEILISEARCH_URL",
        "EMAIL_HOST",
        "SECURITY_CONTACT_EMAIL",
        "MEILISEARCH_SEARCH_KEY",
        "WAGTAILADMIN_BASE_URL",
    ],
)
def test_other_missing_production_variables_fail_naming_them(tmp_path, variable):
    result = deploy_check(production_env(tmp_path, **{variable: None}))
    assert result.returncode != 0
    assert f"The environment variable {variable} is required" in result.stderr


def test_weak_secret_key_is_a_deploy_warning_that_fails(tmp_path):
    result = deploy_check(production_env(tmp_path, SECRET_KEY="court"))
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def serve_and_get(command, env, url, headers=None, cwd=ROOT, timeout=60):
    """Start a server process, GET url once it answers, stop it; returns (status, body)."""
    server = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"{command[0]} exited with {server.returncode}:\n{server.stdout.read()}"
                )
            try:
                request = urllib.request.Request(url, headers=headers or {})
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status, response.read()
            except urllib.error.HTTPError as error:
                return error.code, error.read()
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{command[0]} did not answer on {url} in {timeout}s")
                time.sleep(0.3)
    finally:
        stop(server)


def test_gunicorn_serves_the_wsgi_application_with_production_settings(tmp_path):
    """The README's page-serving command, from the project root, nothing else on the path.

    Redis and Meilisearch point at closed ports: /sante/ must then answer 503 with JSON,
    which proves the workers import the project and serve it."""
    port, closed = free_port(), free_port()
    env = production_env(
        tmp_path,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=f"redis://127.0.0.1:{closed}/0",
        MEILISEARCH_URL=f"http://127.0.0.1:{closed}",
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [
        gunicorn,
        "--chdir",
        "site",
        "community.wsgi:application",
        "-w",
        "1",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    status, body = serve_and_get(
        command, env, f"http://127.0.0.1:{port}/sante/", headers={"X-Forwarded-Proto": "https"}
    )
    result = json.loads(body)
    assert status == 503, result
    assert result["checks"]["database"] == {"status": "ok"}
    assert result["checks"]["cache"]["status"] == "error"
