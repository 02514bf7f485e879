from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        """Changes to the performance framework go to the Board: register what their outcomes do."""
        from governance.outcomes import register_outcomes
        from performance.services import framework

        register_outcomes(framework.BOARD_OUTCOMES)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from performance import visibility as performance_visibility

        visibility.register(*performance_visibility.RULES)

        # Its areas in the navigation and its home page panels (alliance/portal_registry.py): the portal shows them.
        from alliance.portal_registry import register_nav, register_panel
        from performance.portal import HOME_PANELS, NAV_ENTRIES

        register_nav(*NAV_ENTRIES)
        register_panel(*HOME_PANELS)
