"""What governance adds to the home page and the navigation (alliance/portal_registry.py; registered in apps.py).

The home page's "Decisions to vote on": open Board decisions the person may vote on for their organisation (its
representative, the SRO for the client, a delegate named for the decision or its meeting) on which it has not
voted yet. The navigation's Board, Instructions, Implementation Plan, Commitments, Performance Table and Assurance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from alliance.models import Role
from alliance.permissions import has_role, is_alliance_member
from alliance.portal_registry import HomeItem, HomePanel, NavEntry
from governance.permissions import can_view_assurance, can_view_board, can_view_instructions, is_board_member
from governance.selectors.board import decisions_awaiting_vote, has_seat

if TYPE_CHECKING:
    import datetime as dt

    from alliance.models import Person


def votes_panels(user: Person, today: dt.date) -> list[HomePanel]:
    """Decisions to vote on, for those who sit on the Board."""
    if not is_board_member(user):
        return []
    decisions = decisions_awaiting_vote(user)
    if not decisions and not has_role(user, Role.BOARD_REPRESENTATIVE, Role.SRO, Role.DELEGATE):
        return []  # the Alliance Manager attends without a vote (Table 2): no empty panel for them
    # A terminated partner (paras 95-96), or a new one before its start date (para 98), has nothing to vote on.
    seated = user.organisation is not None and has_seat(user.organisation)
    empty = ("Your organisation has voted on every open decision." if seated
             else "Your organisation has no seat on the Alliance Board today (paras 12, 95-98).")
    panel = HomePanel("votes", "Decisions to vote on", empty, reverse("board"), "Go to the Board", "See the decisions")
    for d in decisions:
        closes = (f"closes {timezone.localtime(d.closes_at):%-d %b %Y, %H:%M}" if d.closes_at
                  else "closes when its meeting ends")
        panel.items.append(HomeItem(d.title, d.get_absolute_url(), note=closes))
    panel.count = len(decisions)
    return [panel]


NAV_ENTRIES = (
    NavEntry("Board", "board", "/board/", can_view_board),
    NavEntry("Instructions", "instructions", "/instructions/", can_view_instructions),
    NavEntry("Implementation Plan", "plan", "/plan/", is_alliance_member),
    NavEntry("Commitments", "commitments", "/commitments/", is_alliance_member),
    NavEntry("Performance Table", "performance-table", "/performance-table/", is_alliance_member),
    NavEntry("Assurance", "assurance", "/assurance/", can_view_assurance),
)
HOME_PANELS = (votes_panels,)
