from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        """Each workflow that tables Board decisions about its records registers what their outcome does."""
        from governance.outcomes import register_outcomes
        from governance.services import commitments, instructions, plan

        # The workflows that table Board decisions: performance_table.py and assurance.py table none.
        register_outcomes(instructions.BOARD_OUTCOMES, plan.BOARD_OUTCOMES, commitments.BOARD_OUTCOMES)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from governance import visibility as governance_visibility

        visibility.register(*governance_visibility.RULES)

        # Its areas in the navigation and its home page panels (alliance/portal_registry.py): the portal shows them.
        from alliance.portal_registry import register_nav, register_panel
        from governance.portal import HOME_PANELS, NAV_ENTRIES

        register_nav(*NAV_ENTRIES)
        register_panel(*HOME_PANELS)
