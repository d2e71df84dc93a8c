"""community.cache.Generation, the one cache-versioning helper (page tree, forum rights,
readable forums, anonymous pages, the map): entries are rebuilt once a change outdates them,
never before their change commits unless asked, and always while the cache is down."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import transaction

from community.cache import MISSING, Generation

from .test_cache import unreachable_redis  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


class Builds:
    """A build that says how often it ran and returns a new value each time."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"valeur {self.calls}"


def test_an_entry_is_built_once_then_again_after_a_committed_change(
    django_capture_on_commit_callbacks,
):
    generation = Generation("essai", timeout=60)
    build = Builds()
    assert generation.get_or_build("clé", build) == "valeur 1"
    assert generation.get_or_build("clé", build) == "valeur 1"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generation.invalidate()
        # Not committed yet: the entry still holds.
        assert generation.get_or_build("clé", build) == "valeur 1"
    assert generation.get_or_build("clé", build) == "valeur 2"
    assert build.calls == 2


def test_invalidate_now_outdates_entries_before_the_commit_too(
    django_capture_on_commit_callbacks,
):
    generation = Generation("essai", timeout=60)
    build = Builds()
    generation.get_or_build("clé", build)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        generation.invalidate_now_and_after_commit()
        assert generation.get_or_build("clé", build) == "valeur 2"
    # What a request built between the change and its commit is outdated too.
    assert generation.get_or_build("clé", build) == "valeur 3"


def test_generations_are_independent_and_none_is_a_value():
    pages, rights = Generation("pages", timeout=60), Generation("droits", timeout=60)
    calls = []

    def nothing():
        calls.append(1)

    assert pages.get_or_build("clé", nothing) is None
    assert pages.get_or_build("clé", nothing) is None
    assert rights.get_or_build("clé", Builds()) == "valeur 1"
    rights.renew()
    assert pages.get_or_build("clé", nothing) is None
    assert len(calls) == 1


def test_lookup_and_store_keep_what_was_built_under_the_generation_read_first():
    generation = Generation("essai", timeout=60)
    read, value = generation.lookup("page")
    assert value is MISSING
    generation.renew()  # a change committed while the page was being built
    generation.store("page", read, "page d'avant le changement")
    assert generation.lookup("page")[1] is MISSING
    current, _ = generation.lookup("page")
    generation.store("page", current, "page à jour")
    assert generation.lookup("page") == (current, "page à jour")


def test_the_in_process_layer_answers_without_the_shared_entry_until_a_change():
    generation = Generation("essai-local", timeout=60, in_process=True)
    build = Builds()
    assert generation.get_or_build("clé", build) == "valeur 1"
    # Another process's view of the shared cache changes nothing while the generation holds.
    cache.delete("essai-local:clé")
    assert generation.get_or_build("clé", build) == "valeur 1"
    generation.renew()  # a change in any process: the kept value is outdated
    assert generation.get_or_build("clé", build) == "valeur 2"
    # Emptied cache (evicted generation): rebuilt, never the process's older value.
    cache.clear()
    assert generation.get_or_build("clé", build) == "valeur 3"


def test_every_read_builds_while_the_cache_is_unreachable(unreachable_redis):  # noqa: F811
    for in_process in (False, True):
        generation = Generation("essai-panne", timeout=60, in_process=in_process)
        build = Builds()
        assert generation.get_or_build("clé", build) == "valeur 1"
        assert generation.get_or_build("clé", build) == "valeur 2"
        generation.invalidate_now_and_after_commit()  # no error either
