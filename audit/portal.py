"""What the audit adds to the navigation (alliance/portal_registry.py; registered in apps.py)."""

from __future__ import annotations

from alliance.permissions import can_view_audit
from alliance.portal_registry import NavEntry

NAV_ENTRIES = (NavEntry("Audit", "audit", "/audit/", can_view_audit),)
