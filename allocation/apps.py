from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = "Allocation"

    def ready(self) -> None:
        """Each workflow that tables Board decisions about its records registers what their outcome does."""
        from allocation.services import business_cases, lot1, membership, minor_changes, packages, periodic
        from governance import outcomes

        for workflow in (packages, business_cases, minor_changes, lot1, membership, periodic):
            for code, handler in getattr(workflow, "OUTCOME_HANDLERS", {}).items():
                outcomes.register(code, handler)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from allocation import visibility as allocation_visibility

        visibility.register(*allocation_visibility.RULES)
