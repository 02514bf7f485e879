from django.apps import AppConfig


class MobilisationConfig(AppConfig):
    name = "mobilisation"
    verbose_name = "Mobilisation"

    def ready(self) -> None:
        """The maturity plan goes to the Board: register what its outcome does."""
        from governance.outcomes import register_outcomes
        from mobilisation.services import maturity

        register_outcomes(maturity.BOARD_OUTCOMES)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from mobilisation import visibility as mobilisation_visibility

        visibility.register(*mobilisation_visibility.RULES)

        # Its area in the navigation (alliance/portal_registry.py): the portal shows it.
        from alliance.portal_registry import register_nav
        from mobilisation.portal import NAV_ENTRIES

        register_nav(*NAV_ENTRIES)
