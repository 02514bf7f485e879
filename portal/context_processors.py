"""What every page shows: who you are, for which organisation, in which role; the navigation; the bell."""

from __future__ import annotations

from alliance import selectors
from alliance.portal_registry import can_see
from portal import navigation


def navigation_context(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": navigation.items_for(user, request.path_info),
        "current_roles": selectors.person_role_labels(user),
        "unread_notifications": selectors.unread_notification_count(user),
        # Pages of other areas link to a Board decision only for those who may open it.
        "sees_board": can_see(user, "board"),
    }
