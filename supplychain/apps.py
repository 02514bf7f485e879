from django.apps import AppConfig


class SupplychainConfig(AppConfig):
    name = "supplychain"
    verbose_name = "Supply chain"

    def ready(self) -> None:
        """The strategy documents go to the Board: register what their outcomes do."""
        from governance.outcomes import register_outcomes
        from supplychain.services import documents

        register_outcomes(documents.BOARD_OUTCOMES)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from supplychain import visibility as supplychain_visibility

        visibility.register(*supplychain_visibility.RULES)

        # Its area in the navigation (alliance/portal_registry.py): the portal shows it.
        from alliance.portal_registry import register_nav
        from supplychain.portal import NAV_ENTRIES

        register_nav(*NAV_ENTRIES)
