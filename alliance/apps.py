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
        """Sign-ins update last_login without a history row (see _record_last_login); the core's visibility
        rules (alliance/visibility.py: each app registers its own in its ready())."""
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        from alliance import visibility

        visibility.register(*visibility.core_rules())
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(_record_last_login, dispatch_uid="alliance_record_last_login")

        # The core's areas in the navigation and home page panels (alliance/portal_registry.py): the portal
        # shows them.
        from alliance.portal import HOME_PANELS, NAV_ENTRIES
        from alliance.portal_registry import register_nav, register_panel

        register_nav(*NAV_ENTRIES)
        register_panel(*HOME_PANELS)
