"""The home page: what needs the signed-in person now, by role (issue 10).

Four panels, each only for those it concerns, each with a count and the first few items:

- Decisions to vote on: open Board decisions the person may vote on for their organisation (its representative,
  the SRO for the client, a delegate named for the decision or its meeting) on which it has not voted yet;
- Clocks you hold: open dated obligations the person holds, other than votes and documents;
- Plans and CVs due: the documents the person or their organisation owes (management plans, CVs, improvement
  plans, deliverables...);
- Scorecards to accept: frozen quarters awaiting the client's decision (its reviewers and the SRO, para 160).

"Holds" is narrower than What's due, which shows the SRO and the Alliance Manager the whole alliance: an obligation
is held by its responsible person; one held by an organisation without a named person is held by each of that
partner's people, and, at the client, by the role that acts for it (CLIENT_HOLDER_ROLES). The whole alliance's
counts are shown to those who oversee it as a separate line, never mixed into what is theirs.

The panels read other apps' selectors through lazy imports (as the navigation does), so alliance/ does not depend
on them at import time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from alliance import permissions, selectors
from alliance.models import ObligationKind, ObligationStatus, OrganisationKind, Role

if TYPE_CHECKING:
    from alliance.models import Obligation, Person

ITEMS_SHOWN = 5

# Documents a person or organisation owes: shown under "Plans and CVs due" rather than among the clocks.
DOCUMENT_KINDS = frozenset({
    ObligationKind.SUPPLY_CHAIN_MANAGEMENT_PLAN,
    ObligationKind.CV_CALL,
    ObligationKind.KEY_PERSON_CANDIDATES,
    ObligationKind.KEY_PERSON_HANDOVER,
    ObligationKind.PMP_CORE_RESOURCES,
    ObligationKind.IMPROVEMENT_PLAN,
    ObligationKind.IMPROVEMENT_REPORT,
    ObligationKind.TRANSITION_PLAN,
    ObligationKind.MOBILISATION_DELIVERABLE,
    ObligationKind.MATURITY_PLAN,
    ObligationKind.SUPPLY_CHAIN_STRATEGY,
    ObligationKind.INDUSTRIAL_PLAN,
    ObligationKind.PROCUREMENT_HUB_PLAN,
    ObligationKind.STRATEGY_REFRESH,
    ObligationKind.PERFORMANCE_TABLE,
    ObligationKind.COMMITMENTS,
})
# A vote obligation is shown as its decision, under "Decisions to vote on".
VOTE_KINDS = frozenset({ObligationKind.BOARD_VOTE})

# Who at the client holds an obligation addressed to the client without a named person: the client's rights are the
# SRO's (paras 19, 172), its assurance reviews its reviewers'; everything else the Alliance Manager runs (para 25).
CLIENT_HOLDER_ROLES: dict[str, frozenset[str]] = {
    ObligationKind.INTERVENTION_RIGHT: frozenset({Role.SRO}),
    ObligationKind.CLIENT_ACCEPTANCE: frozenset({Role.SRO}),
    ObligationKind.ASSURANCE_REVIEW: frozenset({Role.CLIENT_REVIEWER}),
}
CLIENT_DEFAULT_HOLDER_ROLES = frozenset({Role.ALLIANCE_MANAGER})


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


@dataclass
class Home:
    panels: list[HomePanel]
    alliance_counts: dict[str, int] | None  # the whole alliance's, for those who oversee it; else None


def _holds(user: Person, obligation: Obligation, roles: frozenset[str]) -> bool:
    if obligation.responsible_person_id is not None:
        return obligation.responsible_person_id == user.pk
    if obligation.responsible_organisation_id != user.organisation_id:
        return False
    if user.organisation.kind != OrganisationKind.CLIENT:
        return True
    return bool(roles & CLIENT_HOLDER_ROLES.get(obligation.kind, CLIENT_DEFAULT_HOLDER_ROLES))


def obligations_held_by(user: Person) -> list[Obligation]:
    """Open obligations the person holds (see the module docstring), earliest due first: one query."""
    if permissions.alliance_id_of(user) is None:
        return []
    roles = permissions.roles_of(user)
    candidates = (
        selectors.obligations_visible_to(user)
        .filter(status=ObligationStatus.OPEN)
        .filter(Q(responsible_person=user) | Q(responsible_person__isnull=True, responsible_organisation_id=user.organisation_id))
        .order_by("due_date", "id")
    )
    return [o for o in candidates if _holds(user, o, roles)]


def _obligation_item(obligation: Obligation, today: dt.date) -> HomeItem:
    return HomeItem(obligation.title, reverse("obligation-detail", args=[obligation.pk]), obligation.due_date,
                    (obligation.due_date - today).days)


def _obligation_panel(key, heading, empty_text, jump_text, obligations, today) -> HomePanel:
    panel = HomePanel(key, heading, empty_text, reverse("whats-due"), "See what's due", jump_text)
    panel.items = [_obligation_item(o, today) for o in obligations]
    panel.count = len(obligations)
    panel.overdue = sum(1 for o in obligations if o.due_date < today)
    return panel


def _votes_panel(user: Person) -> HomePanel | None:
    from governance.permissions import is_board_member
    from governance.selectors import decisions_awaiting_vote, has_seat

    if not is_board_member(user):
        return None
    decisions = decisions_awaiting_vote(user)
    if not decisions and not permissions.has_role(user, Role.BOARD_REPRESENTATIVE, Role.SRO, Role.DELEGATE):
        return None  # the Alliance Manager attends without a vote (Table 2): no empty panel for them
    # A terminated partner (paras 95-96), or a new one before its start date (para 98), has nothing to vote on.
    empty = ("Your organisation has voted on every open decision." if has_seat(user.organisation)
             else "Your organisation has no seat on the Alliance Board today (paras 12, 95-98).")
    panel = HomePanel("votes", "Decisions to vote on", empty, reverse("board"), "Go to the Board", "See the decisions")
    for d in decisions:
        closes = (f"closes {timezone.localtime(d.closes_at):%-d %b %Y, %H:%M}" if d.closes_at
                  else "closes when its meeting ends")
        panel.items.append(HomeItem(d.title, d.get_absolute_url(), note=closes))
    panel.count = len(decisions)
    return panel


def _scorecards_panel(user: Person) -> HomePanel | None:
    from performance.permissions import can_decide_quarter
    from performance.selectors import quarters_awaiting_client

    if not can_decide_quarter(user):
        return None
    quarters = list(quarters_awaiting_client(permissions.alliance_id_of(user)))
    panel = HomePanel("scorecards", "Scorecards to accept", "No quarter's scorecard is waiting for the client.",
                      reverse("scorecard"), "Open the scorecard", "See the scorecards")
    for q in quarters:
        panel.items.append(HomeItem(f"Scorecard for {q.label}", f"{reverse('scorecard')}?period={q.label}",
                                    note=f"frozen {timezone.localtime(q.frozen_at):%-d %b %Y}" if q.frozen_at else "frozen"))
    panel.count = len(quarters)
    return panel


def home_for(user: Person, *, today: dt.date) -> Home:
    """Everything the home page shows the person, in a bounded number of queries."""
    held = obligations_held_by(user)
    documents = [o for o in held if o.kind in DOCUMENT_KINDS]
    clocks = [o for o in held if o.kind not in DOCUMENT_KINDS and o.kind not in VOTE_KINDS]
    panels = [
        _votes_panel(user),
        _obligation_panel("clocks", "Clocks you hold", "You hold no open clock.", "See your clocks", clocks, today),
        _obligation_panel("documents", "Plans and CVs due", "No plan, CV or other document is due from you.",
                          "See what is due from you", documents, today),
        _scorecards_panel(user),
    ]
    alliance_counts = (
        selectors.whats_due_counts(user, today=today) if permissions.sees_whole_alliance(user) else None
    )
    return Home([p for p in panels if p is not None], alliance_counts)
