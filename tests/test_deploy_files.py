"""deploy/ says what production runs: its example environment names every variable the
production settings read (the required ones set), and its nginx site keeps private files
internal, sends /ws/ to the websocket workers and serves the folders the settings name."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from community.media import PUBLIC_MEDIA_FOLDERS

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "site" / "community" / "settings"
ENV_CALL = re.compile(r'env_[a-z]+\("([A-Z0-9_]+)"(\s*\))?')


def production_variables() -> tuple[set[str], set[str]]:
    """(every variable read in production, those production.py requires: no default)."""
    read, required = set(), set()
    for name in ("base.py", "production.py"):
        for match in ENV_CALL.finditer((SETTINGS / name).read_text()):
            read.add(match[1])
            if name == "production.py" and match[2]:
                required.add(match[1])
    # Development switches that production settings override.
    return read - {"DEBUG", "EMAIL_BACKEND"}, required


def example_env() -> tuple[set[str], set[str]]:
    """(variables set in deploy/env.example, variables only shown commented out)."""
    set_, commented = set(), set()
    for line in (ROOT / "deploy" / "env.example").read_text().splitlines():
        if match := re.match(r"^(#\s*)?([A-Z][A-Z0-9_]+)=", line):
            (commented if match[1] else set_).add(match[2])
    return set_, commented


def test_the_example_environment_names_every_variable_and_sets_the_required_ones():
    read, required = production_variables()
    set_, commented = example_env()
    assert required, "no required variable found: the parser no longer matches settings"
    # The S3 credentials are required only when a bucket is named (commented out there).
    unset = required - set_ - {"MEDIA_S3_ACCESS_KEY", "MEDIA_S3_SECRET_KEY"}
    assert not unset, f"required but not set in env.example: {unset}"
    missing = read - set_ - commented
    assert not missing, f"read by the settings but absent from env.example: {missing}"
    unknown = (set_ | commented) - read - {"MEDIA_S3_PRIVATE_BUCKET"}
    assert not unknown, f"in env.example but read by no setting: {unknown}"


def test_the_nginx_site_keeps_private_files_internal_and_routes_websockets():
    conf = (ROOT / "deploy" / "nginx" / "mille-cafes.conf").read_text()
    private = re.search(r"location /_private/ \{(.*?)\}", conf, re.S)[1]
    assert "internal;" in private
    websockets = re.search(r"location /ws/ \{(.*?)\}", conf, re.S)[1]
    assert "proxy_pass http://mille_cafes_ws;" in websockets
    assert "proxy_set_header Upgrade $http_upgrade;" in websockets
    assert re.search(r"location /media/ \{\s*return 404;", conf)


def test_the_nginx_site_serves_the_folders_the_settings_and_environment_name():
    conf = (ROOT / "deploy" / "nginx" / "mille-cafes.conf").read_text()
    env = dict(
        re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", (ROOT / "deploy" / "env.example").read_text(), re.M)
    )
    # /static/ from the checkout's STATIC_ROOT, installed at /srv/mille-cafes.
    static = re.search(r"location /static/ \{\s*root ([^;]+);", conf)[1]
    relative_root = settings.STATIC_ROOT.relative_to(settings.PROJECT_ROOT)
    assert Path(static) / "static" == Path("/srv/mille-cafes") / relative_root
    # Public media: exactly the folders of community/media.py's allow-list, from MEDIA_ROOT.
    public = re.search(r"location ~ \^/media/\(([^)]*)\)/ \{\s*root ([^;]+);", conf)
    assert {f"{folder}/" for folder in public[1].split("|")} == set(PUBLIC_MEDIA_FOLDERS)
    assert Path(public[2]) / "media" == Path(env["MEDIA_ROOT"])
    # Private files: the prefix the views answer with, the folder they are stored in, and the
    # headers that keep them inert (nginx drops the view's own after X-Accel-Redirect).
    private = re.search(r"location (\S+) \{\s*internal;\s*alias ([^;]+);(.*?)\}", conf, re.S)
    assert private[1] == env["PRIVATE_MEDIA_ACCEL_PREFIX"]
    assert Path(private[2]) == Path(env["PRIVATE_MEDIA_ROOT"])
    assert "add_header X-Content-Type-Options nosniff always;" in private[3]
    assert "add_header Content-Security-Policy sandbox always;" in private[3]


def test_every_process_has_its_unit_reading_the_same_environment():
    for name in ("pages", "websockets", "worker"):
        unit = (ROOT / "deploy" / f"mille-cafes-{name}.service").read_text()
        assert "EnvironmentFile=/etc/mille-cafes/env" in unit
        assert "DJANGO_SETTINGS_MODULE=community.settings.production" in unit
        assert "Restart=always" in unit
