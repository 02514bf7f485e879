"""The navigation bar: the areas the apps registered (alliance/portal_registry.py), in the menu's order below,
each shown only to the roles that use it.

An app adds its area when its first real page lands (no placeholder pages): its ``NAV_ENTRIES`` in
``<app>/portal.py``, registered from its ``AppConfig.ready()``, and its URL name in ``MENU`` here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from alliance.permissions import can_use_site
from alliance.portal_registry import NavEntry, nav_entries

if TYPE_CHECKING:
    from alliance.models import Person

# The portal's own entry: the home page (portal/views.py).
HOME = NavEntry("Home", "home", "/", can_use_site)

# The menu, left to right, by URL name (whose entry it is: the app that registers it).
MENU: tuple[str, ...] = (
    "home",                 # portal
    "whats-due",            # alliance
    "board",                # governance
    "instructions",         # governance
    "plan",                 # governance
    "commitments",          # governance
    "performance-table",    # governance
    "assurance",            # governance
    "allocation",           # allocation
    "scorecard",            # performance
    "people",               # people
    "supplychain",          # supplychain
    "mobilisation",         # mobilisation
    "alliance-directory",   # alliance
    "audit",                # audit
    "admin:index",          # alliance
)


def menu() -> list[NavEntry]:
    """Every registered entry in the menu's order; an entry the menu does not place is a mistake, refused."""
    entries = nav_entries()
    unplaced = [e.url_name for e in entries if e.url_name not in MENU]
    if unplaced:
        raise ImproperlyConfigured(f"portal.navigation.MENU does not place {', '.join(unplaced)}")
    return sorted(entries, key=lambda e: MENU.index(e.url_name))


def items_for(user: Person, path: str) -> list[dict]:
    items = []
    for entry in menu():
        if not entry.allowed(user):
            continue
        current = path == "/" if entry.prefix == "/" else path.startswith(entry.prefix)
        items.append({"label": entry.label, "url": reverse(entry.url_name), "current": current})
    return items
