"""How a signed-in person is loaded on each request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from alliance.models import Person


class PersonBackend(ModelBackend):
    """Django's ModelBackend, loading the person of a session with their organisation and its alliance in the
    same query: the header, the menu and every permission check read them, and each was one more query per page
    (measured for bench/load.py's pages: one or two queries fewer on each)."""

    def get_user(self, user_id):
        try:
            person = Person._default_manager.select_related("organisation__alliance").get(pk=user_id)
        except Person.DoesNotExist:
            return None
        return person if self.user_can_authenticate(person) else None
