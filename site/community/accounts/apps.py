from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "community.accounts"
    label = "accounts"
    verbose_name = "Comptes et adhésions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
        from .roles import ensure_role_groups

        # Permissions exist only after every app migrated, hence post_migrate rather than a
        # data migration.
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
