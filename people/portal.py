"""What the People area (key persons, nominations and CVs, Production Hub resourcing) adds to the navigation
(alliance/portal_registry.py; registered in apps.py)."""

from __future__ import annotations

from alliance.permissions import is_alliance_member
from alliance.portal_registry import NavEntry

NAV_ENTRIES = (NavEntry("People", "people", "/people/", is_alliance_member),)
