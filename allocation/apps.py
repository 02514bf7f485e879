from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = "Allocation"

    def ready(self) -> None:
        """Business cases, minor changes and Periodic Instructions go to the Board: register what their outcomes
        do."""
        from allocation.services import business_cases, minor_changes, periodic
        from governance.outcomes import register_outcomes

        register_outcomes(business_cases.BOARD_OUTCOMES, minor_changes.BOARD_OUTCOMES, periodic.BOARD_OUTCOMES)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from allocation import visibility as allocation_visibility

        visibility.register(*allocation_visibility.RULES)

        # Its area in the navigation (alliance/portal_registry.py): the portal shows it.
        from alliance.portal_registry import register_nav
        from allocation.portal import NAV_ENTRIES

        register_nav(*NAV_ENTRIES)
