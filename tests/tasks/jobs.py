"""Tasks and periodic jobs used by the tests of the pipeline (importable by the worker)."""

from __future__ import annotations

from django.core.cache import cache
from django_tasks import task


@task()
def flaky(name: str, failures: int) -> str:
    """Fails `failures` times (counted per name in the cache), then succeeds."""
    runs = cache.get_or_set(f"flaky:{name}", 0)
    cache.set(f"flaky:{name}", runs + 1)
    if runs < failures:
        raise ConnectionError(f"service indisponible (essai {runs + 1})")
    return f"réussi après {runs} échec(s)"


def tick() -> str:
    """A periodic job with nothing to do: its runs are the tasks the scheduler enqueued."""
    return "fait"


def broken() -> None:
    raise RuntimeError("le service de test a refusé")
