from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = "Alliance"

    def ready(self) -> None:
        """Key person appointments and Production Hub resourcing go to the Board: register what their outcomes do."""
        from alliance.people.services import hub, key_persons
        from governance import outcomes

        for workflow in (key_persons, hub):
            for code, handler in workflow.OUTCOME_HANDLERS.items():
                outcomes.register(code, handler)
