from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The audit page: one history across every app, read through alliance/visibility.py's registry (the apps
    register their rules there, so the audit never imports them)."""

    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        """Its area in the navigation (alliance/portal_registry.py): the portal shows it."""
        from alliance.portal_registry import register_nav
        from audit.portal import NAV_ENTRIES

        register_nav(*NAV_ENTRIES)
