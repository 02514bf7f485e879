"""The navigation bar: one entry per area that has real pages, shown only to the roles that use it.

An app adds its area here when its first real page lands (no placeholder pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from alliance import permissions

if TYPE_CHECKING:
    from collections.abc import Callable

    from alliance.models import Person


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    prefix: str
    allowed: Callable[[Person], bool]


def _everyone(user: Person) -> bool:
    return user.organisation_id is not None or user.is_staff


def _board_member(user: Person) -> bool:
    from governance.permissions import can_view_board

    return can_view_board(user)


def _alliance_member(user: Person) -> bool:
    from governance.permissions import is_alliance_member

    return is_alliance_member(user)


def _instruction_viewer(user: Person) -> bool:
    from governance.permissions import can_view_instructions

    return can_view_instructions(user)


def _assurance_viewer(user: Person) -> bool:
    from governance.permissions import can_view_assurance

    return can_view_assurance(user)


ENTRIES: tuple[NavEntry, ...] = (
    NavEntry("Home", "home", "/", _everyone),
    NavEntry("What's due", "whats-due", "/due/", _everyone),
    NavEntry("Board", "board", "/board/", _board_member),
    NavEntry("Instructions", "instructions", "/instructions/", _instruction_viewer),
    NavEntry("Implementation Plan", "plan", "/plan/", _alliance_member),
    NavEntry("Commitments", "commitments", "/commitments/", _alliance_member),
    NavEntry("Performance Table", "performance-table", "/performance-table/", _alliance_member),
    NavEntry("Assurance", "assurance", "/assurance/", _assurance_viewer),
    NavEntry("Allocation", "allocation", "/allocation/", _alliance_member),
    NavEntry("Scorecard", "scorecard", "/performance/", _alliance_member),
    NavEntry("People", "people", "/people/", _alliance_member),
    NavEntry("Supply chain", "supplychain", "/supply-chain/", _alliance_member),
    NavEntry("Mobilisation", "mobilisation", "/mobilisation/", _alliance_member),
    NavEntry("Alliance", "alliance-directory", "/alliance/", _everyone),
    NavEntry("Audit", "audit", "/audit/", permissions.can_view_audit),
    NavEntry("Administration", "admin:index", "/admin/", permissions.can_use_admin),
)


def items_for(user: Person, path: str) -> list[dict]:
    items = []
    for entry in ENTRIES:
        if not entry.allowed(user):
            continue
        current = path == "/" if entry.prefix == "/" else path.startswith(entry.prefix)
        items.append({"label": entry.label, "url": reverse(entry.url_name), "current": current})
    return items


def can_see(user: Person, url_name: str) -> bool:
    """Whether the user may use the area whose entry is ``url_name`` (a page links there only if so)."""
    return any(entry.allowed(user) for entry in ENTRIES if entry.url_name == url_name)


def may_open(user: Person, path: str) -> bool:
    """Whether the user may use the area a path belongs to (its longest matching prefix); a link elsewhere in the
    app is shown only if so. Object-level visibility is still the target page's own check."""
    entries = [e for e in ENTRIES if e.prefix != "/" and path.startswith(e.prefix)]
    if not entries:
        return True
    return max(entries, key=lambda e: len(e.prefix)).allowed(user)

