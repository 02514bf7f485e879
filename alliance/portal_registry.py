"""What each app adds to the home page and the navigation bar: one registry, read by the portal (portal/).

Each app states in ``<app>/portal.py`` its navigation entries (``NAV_ENTRIES``: label, URL name, path prefix and
who may use the area) and the home page panels it has for a person (``HOME_PANELS``: functions
``(person, today) -> panels``), and registers them from its ``AppConfig.ready()`` with ``register_nav(...)`` and
``register_panel(...)``, as governance/outcomes.py is filled for the Board's outcomes. The portal arranges them
(portal/navigation.py, portal/home.py: the menu's and the home page's order are stated there); the rest of the
site reads only the two questions below (``can_see``, ``may_open``): a page links to another area only for those
who may use it. The core itself imports no app: it only reads what they registered.

An app adds its area here when its first real page lands (no placeholder pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliance.models import Person

ITEMS_SHOWN = 5  # items a home page panel lists; the rest are counted ("12 more.")


@dataclass(frozen=True)
class NavEntry:
    """One area of the site in the navigation bar: shown to those ``allowed`` lets use it, current on the pages
    under ``prefix``."""

    label: str
    url_name: str
    prefix: str
    allowed: Callable[[Person], bool]


@dataclass(frozen=True)
class HomeItem:
    title: str
    url: str
    due_date: dt.date | None = None
    days: int | None = None  # days left until due_date (negative when overdue)
    note: str = ""

    @property
    def overdue_by(self) -> int:
        return -self.days if self.days is not None and self.days < 0 else 0


@dataclass
class HomePanel:
    """One panel of the home page: a heading with a count, the first few items and a link to the rest."""

    key: str
    heading: str
    empty_text: str
    more_url: str
    more_text: str
    jump_text: str  # the summary card's link down to the panel
    items: list[HomeItem] = field(default_factory=list)
    count: int = 0
    overdue: int = 0

    @property
    def shown(self) -> list[HomeItem]:
        return self.items[:ITEMS_SHOWN]

    @property
    def not_shown(self) -> int:
        return max(self.count - ITEMS_SHOWN, 0)


# The panels one app has for a person on a day: none (not theirs), one, or several built from one read.
HomePanels = Callable[["Person", dt.date], Iterable[HomePanel]]

_NAV: dict[str, NavEntry] = {}
_PANELS: list[HomePanels] = []


def register_nav(*entries: NavEntry) -> None:
    """Called from each app's ``AppConfig.ready()``; an area has one entry (a second, different one is refused)."""
    for entry in entries:
        if _NAV.get(entry.url_name, entry) != entry:
            raise ValueError(f"The navigation already has an entry for {entry.url_name!r}")
        _NAV[entry.url_name] = entry


def register_panel(*panels: HomePanels) -> None:
    """Called from each app's ``AppConfig.ready()`` with the functions building its home page panels."""
    for panel in panels:
        if panel not in _PANELS:
            _PANELS.append(panel)


def nav_entries() -> tuple[NavEntry, ...]:
    """Every registered entry, in the order the apps registered them (the portal puts them in the menu's order)."""
    return tuple(_NAV.values())


def home_panels() -> tuple[HomePanels, ...]:
    return tuple(_PANELS)


def can_see(user: Person, url_name: str) -> bool:
    """Whether the user may use the area whose entry is ``url_name`` (a page links there only if so)."""
    entry = _NAV.get(url_name)
    return entry is not None and entry.allowed(user)


def may_open(user: Person, path: str) -> bool:
    """Whether the user may use the area a path belongs to (its longest matching prefix); a link elsewhere in the
    app is shown only if so. Object-level visibility is still the target page's own check."""
    entries = [e for e in _NAV.values() if e.prefix != "/" and path.startswith(e.prefix)]
    if not entries:
        return True
    return max(entries, key=lambda e: len(e.prefix)).allowed(user)
