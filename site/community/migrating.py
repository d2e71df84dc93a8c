"""post_migrate handlers that need every app migrated (groups, permissions, workflows)."""

from __future__ import annotations

from collections.abc import Callable

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def after_every_app_migrated(handler: Callable[..., None], dispatch_uid: str) -> AppConfig:
    """Run `handler` once per `migrate` or `flush`, when every app's permissions exist.

    post_migrate is sent once per app, in INSTALLED_APPS order: a receiver without sender
    runs for each of the ~40 apps (and each flush of a transactional test paid that), one
    bound to the last app runs once, after every app's content types and permissions.
    Call from AppConfig.ready(), when every models module is imported. Returns the app
    the handler is bound to (the sender to disconnect it).
    """
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    post_migrate.connect(handler, sender=last, dispatch_uid=dispatch_uid)
    return last
