"""Who may read the audit: the Alliance Manager, the SRO and administrators (alliance.permissions.can_view_audit,
which the navigation reads too). Which rows each of them sees is the visibility rule of each record
(audit/sources.py, alliance/visibility.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.permissions import can_view_audit

if TYPE_CHECKING:
    from alliance.models import Person

ERR_NOT_ALLOWED_AUDIT = "Only the Alliance Manager, the SRO and administrators may read the audit history."


def require_audit_viewer(user: Person) -> None:
    """PermissionDenied (403) unless the user may read the audit."""
    if not can_view_audit(user):
        raise PermissionDenied(ERR_NOT_ALLOWED_AUDIT)
