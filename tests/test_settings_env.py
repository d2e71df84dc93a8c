"""The environment readers behind every settings module fail loudly, naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from community.settings.env import (
    env_bool,
    env_database,
    env_float,
    env_int,
    env_list,
    env_str,
    env_url,
)

VAR = "MILLE_CAFES_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def clean_variable(monkeypatch):
    monkeypatch.delenv(VAR, raising=False)
    return monkeypatch


@pytest.mark.parametrize("reader", [env_str, env_bool, env_int, env_list, env_url, env_database])
def test_required_variable_missing_names_it(reader):
    with pytest.raises(ImproperlyConfigured, match=VAR):
        reader(VAR)


@pytest.mark.parametrize("reader", [env_str, env_int, env_list, env_url, env_database])
def test_empty_required_variable_counts_as_missing(reader, monkeypatch):
    monkeypatch.setenv(VAR, "")
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} is required"):
        reader(VAR)


def test_defaults_apply_when_unset():
    assert env_str(VAR, "fallback") == "fallback"
    assert env_bool(VAR, True) is True
    assert env_int(VAR, 42) == 42
    assert env_list(VAR, ["a"]) == ["a"]
    assert env_url(VAR, "", schemes=("redis",)) == ""


def test_str_returns_the_value(monkeypatch):
    monkeypatch.setenv(VAR, "valeur")
    assert env_str(VAR) == "valeur"
    assert env_str(VAR, "ignored default") == "valeur"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        ("Yes", True),
        (" on ", True),
        ("0", False),
        ("false", False),
        ("NO", False),
        ("off", False),
        ("", False),
    ],
)
def test_bool_values(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR) is expected


def test_int(monkeypatch):
    monkeypatch.setenv(VAR, "8080")
    assert env_int(VAR) == 8080


def test_float(monkeypatch):
    monkeypatch.setenv(VAR, "0.25")
    assert env_float(VAR) == 0.25
    monkeypatch.delenv(VAR)
    assert env_float(VAR, 2.0) == 2.0


@pytest.mark.parametrize(
    ("read", "raw", "refusal"),
    [
        pytest.param(read, raw, refusal, id=f"{read.__name__}-{raw}")
        for read, refusal, raws in (
            (env_bool, "a boolean", ("maybe", "2", "oui", "truee")),
            (env_int, "an integer", ("abc", "1.5", "12 heures")),
            (env_float, "a number", ("abc", "0,3", "2 s")),
        )
        for raw in raws
    ],
)
def test_a_bad_value_is_refused_with_name_and_value(monkeypatch, read, raw, refusal):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=rf"{VAR}='{raw}' is not {refusal}"):
        read(VAR)


def test_list_splits_on_commas_and_strips(monkeypatch):
    monkeypatch.setenv(VAR, " cafes.example.org, www.cafes.example.org ,,")
    assert env_list(VAR) == ["cafes.example.org", "www.cafes.example.org"]


def test_url_with_an_accepted_scheme(monkeypatch):
    monkeypatch.setenv(VAR, "rediss://cache.internal:6380/0")
    assert env_url(VAR, schemes=("redis", "rediss")) == "rediss://cache.internal:6380/0"


@pytest.mark.parametrize("raw", ["http://cache.internal:6379", "cache.internal:6379", "redis:/x"])
def test_url_with_a_wrong_scheme_is_refused(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=rf"{VAR}=.* must start with one of"):
        env_url(VAR, schemes=("redis", "rediss"))


def test_database_url_postgresql(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://cafes:s3cret@db.internal:5433/mille_cafes")
    config = env_database(VAR)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "mille_cafes"
    assert config["USER"] == "cafes"
    assert config["PASSWORD"] == "s3cret"
    assert config["HOST"] == "db.internal"
    assert config["PORT"] == 5433


def test_database_url_postgresql_without_password(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://postgres@127.0.0.1:5432/mille_cafes")
    config = env_database(VAR)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["HOST"], config["PORT"]) == ("postgres", "127.0.0.1", 5432)
    assert not config["PASSWORD"]


def test_database_url_sqlite(monkeypatch, tmp_path):
    path = tmp_path / "db.sqlite3"
    monkeypatch.setenv(VAR, f"sqlite:///{path}")
    config = env_database(VAR)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(path)


def test_database_default_is_used_when_unset(tmp_path):
    config = env_database(VAR, f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert config["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize("raw", ["mysql://root@localhost/cafes", "oracle://u:p@h/db"])
def test_database_url_other_engines_are_refused(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=f"{VAR} must point at PostgreSQL or SQLite"):
        env_database(VAR)


@pytest.mark.parametrize("raw", ["not a url", "nosuchscheme://x/y"])
def test_database_url_garbage_is_refused_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    with pytest.raises(ImproperlyConfigured, match=VAR):
        env_database(VAR)
