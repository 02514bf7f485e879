from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "allocation"
    verbose_name = "Allocation"

    def ready(self) -> None:
        """Each workflow that tables Board decisions about its records registers what their outcome does."""
        from allocation.services import membership, optimisation, packages, periodic
        from governance import outcomes

        for workflow in (packages, optimisation, membership, periodic):
            for code, handler in getattr(workflow, "OUTCOME_HANDLERS", {}).items():
                outcomes.register(code, handler)
