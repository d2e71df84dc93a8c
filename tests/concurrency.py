"""Running calls at the same instant, each in a thread with its own database connection
(PostgreSQL row locks and SQLite's IMMEDIATE transactions are what such tests exercise)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connection


def run_at_once(
    calls: Sequence[Callable[[], object]],
    *,
    refused: type[BaseException] | tuple[type[BaseException], ...] = (),
    timeout: float = 60.0,
) -> list[object]:
    """What each call returned, or the `refused` exception it raised, in finishing order.

    Any other exception is raised here once every thread has ended, not lost in its thread.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = []
    errors: list[BaseException] = []

    def run(call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            outcomes.append(call())
        except refused as error:
            outcomes.append(error)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return outcomes
