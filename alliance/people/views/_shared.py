"""What every people page checks first."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from alliance.people import permissions
from alliance.permissions import alliance_id_of

ERR_NOT_MEMBER = "The People pages are for the members of an alliance: you do not belong to one of its organisations."


def member_alliance_id(request) -> int:
    """The alliance of a member who may see the People area; 403 for anyone else (e.g. an administrator with no
    organisation)."""
    if not permissions.can_view_people(request.user):
        raise PermissionDenied(ERR_NOT_MEMBER)
    return alliance_id_of(request.user)
