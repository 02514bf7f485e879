from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backups of the whole platform and the restore drill: the `backup` and `restore_check` commands."""

    name = "backups"
    verbose_name = "Backups"
