from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        """Each workflow that tables Board decisions about its records registers what their outcome does."""
        from governance import outcomes
        from governance.services import commitments, instructions, plan

        # The workflows that table Board decisions: performance_table.py and assurance.py table none.
        for workflow in (instructions, plan, commitments):
            for code, handler in workflow.OUTCOME_HANDLERS.items():
                outcomes.register(code, handler)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from governance import visibility as governance_visibility

        visibility.register(*governance_visibility.RULES)
