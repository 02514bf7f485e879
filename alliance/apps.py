from django.apps import AppConfig


def _record_last_login(sender, user, **kwargs) -> None:
    """Django's own receiver saves the person, and every save of a person writes a history row: a sign-in would
    then show in the audit as a change of nothing (last_login is not tracked). A plain UPDATE records the time
    without one."""
    from django.utils import timezone

    now = timezone.now()
    type(user)._default_manager.filter(pk=user.pk).update(last_login=now)
    user.last_login = now


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = "Alliance"

    def ready(self) -> None:
        """Key person appointments and Production Hub resourcing go to the Board: register what their outcomes do.
        Sign-ins update last_login without a history row (see _record_last_login)."""
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from alliance.people.services import hub, key_persons
        from governance import outcomes

        for workflow in (key_persons, hub):
            for code, handler in workflow.OUTCOME_HANDLERS.items():
                outcomes.register(code, handler)
        # Who may open which record (alliance/visibility.py): the core's and the People area's rules.
        from alliance import visibility
        from alliance.people import visibility as people_visibility

        visibility.register(*visibility.core_rules(), *people_visibility.RULES)
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_record_last_login, dispatch_uid="alliance_record_last_login")
