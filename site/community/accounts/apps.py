from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "community.accounts"
    label = "accounts"
    verbose_name = "Comptes et adhésions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.migrating import after_every_app_migrated

        from . import rights, signals  # noqa: F401  (connect the receivers)
        from .roles import ensure_role_groups

        # Permissions exist only after every app migrated, hence post_migrate rather than a
        # data migration.
        after_every_app_migrated(ensure_role_groups, "accounts.ensure_role_groups")
