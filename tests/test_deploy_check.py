"""Production settings pass Django's deployment checks, and refuse to start half-configured.

Each case runs `manage.py check --deploy` in a fresh process with only the variables given,
as a deployment would, so nothing from the developer's shell or the test settings leaks in.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

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
        "DATABASE_URL": "postgres://cafes:motdepasse@db.example.org:5432/mille_cafes",
        "REDIS_URL": "redis://cache.example.org:6379/0",
        "MEILISEARCH_URL": "https://search.example.org",
        "MEILISEARCH_API_KEY": secrets.token_urlsafe(32),
        "EMAIL_HOST": "smtp.example.org",
        "DEFAULT_FROM_EMAIL": "Réseau 1000 cafés <contact@cafes.example.org>",
        "MEDIA_ROOT": str(tmp_path / "media"),
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
        MEDIA_S3_BUCKET="mille-cafes-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.example.org",
        MEDIA_S3_ACCESS_KEY="access",
        MEDIA_S3_SECRET_KEY=secrets.token_urlsafe(32),
    )
    result = deploy_check(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_missing_secret_key_fails_loudly(tmp_path):
    result = deploy_check(production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "variable", ["ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "MEILISEARCH_URL", "EMAIL_HOST"]
)
def test_other_missing_production_variables_fail_naming_them(tmp_path, variable):
    result = deploy_check(production_env(tmp_path, **{variable: None}))
    assert result.returncode != 0
    assert f"The environment variable {variable} is required" in result.stderr


def test_weak_secret_key_is_a_deploy_warning_that_fails(tmp_path):
    result = deploy_check(production_env(tmp_path, SECRET_KEY="court"))
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
