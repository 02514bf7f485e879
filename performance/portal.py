"""What performance adds to the home page and the navigation (alliance/portal_registry.py; registered in apps.py).

The home page's "Scorecards to accept": frozen quarters awaiting the client's decision (its reviewers and the SRO,
para 160). The navigation's Scorecard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from alliance.permissions import alliance_id_of, is_alliance_member
from alliance.portal_registry import HomeItem, HomePanel, NavEntry
from performance.permissions import can_decide_quarter
from performance.selectors.scorecard import quarters_awaiting_client

if TYPE_CHECKING:
    import datetime as dt

    from alliance.models import Person


def scorecards_panels(user: Person, today: dt.date) -> list[HomePanel]:
    """Scorecards to accept, for the client's reviewers and the SRO."""
    if not can_decide_quarter(user):
        return []
    alliance_id = alliance_id_of(user)
    quarters = list(quarters_awaiting_client(alliance_id)) if alliance_id is not None else []
    panel = HomePanel("scorecards", "Scorecards to accept", "No quarter's scorecard is waiting for the client.",
                      reverse("scorecard"), "Open the scorecard", "See the scorecards")
    for q in quarters:
        panel.items.append(HomeItem(f"Scorecard for {q.label}", f"{reverse('scorecard')}?period={q.label}",
                                    note=f"frozen {timezone.localtime(q.frozen_at):%-d %b %Y}" if q.frozen_at else "frozen"))
    panel.count = len(quarters)
    return [panel]


NAV_ENTRIES = (NavEntry("Scorecard", "scorecard", "/performance/", is_alliance_member),)
HOME_PANELS = (scorecards_panels,)
