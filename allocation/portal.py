"""What allocation adds to the navigation (alliance/portal_registry.py; registered in apps.py)."""

from __future__ import annotations

from alliance.permissions import is_alliance_member
from alliance.portal_registry import NavEntry

NAV_ENTRIES = (NavEntry("Allocation", "allocation", "/allocation/", is_alliance_member),)
