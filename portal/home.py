"""The home page: what needs the signed-in person now, by role (issue 10).

Each app contributes the panels it has for the person (alliance/portal_registry.py; each only for those it
concerns, each with a count and the first few items), shown in the order below:

- Decisions to vote on (governance/portal.py);
- Clocks you hold, and Plans and CVs due (alliance/portal.py);
- Scorecards to accept (performance/portal.py).

The whole alliance's counts are shown to those who oversee it as a separate line, never mixed into what is theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

from alliance import permissions, selectors
from alliance.portal_registry import home_panels

if TYPE_CHECKING:
    import datetime as dt

    from alliance.models import Person
    from alliance.portal_registry import HomePanel

# The panels, top to bottom, by key.
PANELS: tuple[str, ...] = ("votes", "clocks", "documents", "scorecards")


@dataclass
class Home:
    panels: list[HomePanel]
    alliance_counts: dict[str, int] | None  # the whole alliance's, for those who oversee it; else None


def _placed(panel: HomePanel) -> int:
    if panel.key not in PANELS:
        raise ImproperlyConfigured(f"portal.home.PANELS does not place the panel {panel.key!r}")
    return PANELS.index(panel.key)


def home_for(user: Person, *, today: dt.date) -> Home:
    """Everything the home page shows the person, in a bounded number of queries."""
    panels = [panel for build in home_panels() for panel in build(user, today)]
    alliance_counts = (
        selectors.whats_due_counts(user, today=today) if permissions.sees_whole_alliance(user) else None
    )
    return Home(sorted(panels, key=_placed), alliance_counts)
