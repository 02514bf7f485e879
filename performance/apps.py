from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        """Each workflow that tables Board decisions about its records registers what their outcome does."""
        from governance import outcomes
        from performance.services import framework, improvement, scorecard

        for workflow in (scorecard, improvement, framework):
            for code, handler in getattr(workflow, "OUTCOME_HANDLERS", {}).items():
                outcomes.register(code, handler)

        # Who may open which of its records (alliance/visibility.py): the audit reads through it.
        from alliance import visibility
        from performance import visibility as performance_visibility

        visibility.register(*performance_visibility.RULES)
