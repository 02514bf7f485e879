from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Key persons and Production Hub"

    def ready(self) -> None:
        """Key person appointments and Production Hub resourcing go to the Board: register what their outcomes
        do; and who may open which of the People records (alliance/visibility.py: the audit reads through it)."""
        from alliance import visibility
        from governance.outcomes import register_outcomes
        from people import visibility as people_visibility
        from people.services import hub, key_persons

        # Both Production Hub workflows go to the Board under one Decision Matrix type: the closing decision
        # goes to the one whose record is its subject.
        register_outcomes(key_persons.BOARD_OUTCOMES, hub.PROPOSAL_OUTCOMES, hub.PORTFOLIO_OUTCOMES)
        visibility.register(*people_visibility.RULES)

        # Its area in the navigation (alliance/portal_registry.py): the portal shows it.
        from alliance.portal_registry import register_nav
        from people.portal import NAV_ENTRIES

        register_nav(*NAV_ENTRIES)
