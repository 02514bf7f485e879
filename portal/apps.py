from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The home page and the navigation bar, filled by the apps through alliance/portal_registry.py (each registers
    its entries and panels in its own ``AppConfig.ready()``). Listed last of the project's apps: it reads them all."""

    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from alliance.portal_registry import register_nav
        from portal.navigation import HOME

        register_nav(HOME)
