from django.apps import AppConfig


class MobilisationConfig(AppConfig):
    name = "mobilisation"
    verbose_name = "Mobilisation"

    def ready(self) -> None:
        """The maturity plan goes to the Board: register what its outcome does."""
        from governance import outcomes
        from mobilisation import services

        for workflow in services.WORKFLOWS:
            for code, handler in getattr(workflow, "OUTCOME_HANDLERS", {}).items():
                outcomes.register(code, handler)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from mobilisation import visibility as mobilisation_visibility

        visibility.register(*mobilisation_visibility.RULES)
