"""Who may do what in performance: the scorecard and improvement (processes, plans, incidents, the efficiency
register). Predicates used alike by services, views, the API and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alliance.models import Role
from alliance.permissions import has_role

# Membership and being a partner's person are the alliance's rules, kept once in governance (every app may use
# governance); performance's pages read with ``is_alliance_member``.
from governance.permissions import is_alliance_member, is_partner

if TYPE_CHECKING:
    from alliance.models import Person
    from performance.models import ImprovementPlan


# --- The scorecard ---------------------------------------------------------------------------------------------


def scores_every_scheme(user: Person) -> bool:
    """The Alliance Manager and administrators score any scheme."""
    return has_role(user, Role.ALLIANCE_MANAGER, Role.ADMINISTRATOR)


def can_enter_scores(user: Person) -> bool:
    """The Alliance Manager, administrators and partners' people (a partner only the schemes it is a
    Responsible Partner on: the service checks each row). A client reviewer cannot edit scores."""
    return scores_every_scheme(user) or is_partner(user)


def can_freeze_quarter(user: Person) -> bool:
    return has_role(user, Role.ALLIANCE_MANAGER, Role.ADMINISTRATOR)


def can_decide_quarter(user: Person) -> bool:
    """The client accepts or returns the quarter's scorecard (para 160): its reviewers and the SRO."""
    return has_role(user, Role.CLIENT_REVIEWER, Role.SRO)


def can_propose_framework_change(user: Person) -> bool:
    """The Alliance Manager (or an administrator) of a member organisation takes a threshold change to the Board
    (paras 147-148)."""
    return can_freeze_quarter(user) and bool(getattr(user, "organisation_id", None))


# --- Improvement (paras 177-184, seeds 001-002) ----------------------------------------------------------------


def can_read_improvement(user: Person, alliance_id: int | None = None) -> bool:
    """Everyone of a member organisation reads processes, plans, incidents and the register."""
    return is_alliance_member(user, alliance_id)


def can_manage_improvement(user: Person) -> bool:
    """The Alliance Manager writes plans, records and decides incidents, and moves efficiencies forward."""
    return has_role(user, Role.ALLIANCE_MANAGER)


def can_raise_plan_query(user: Person, plan: ImprovementPlan | None = None) -> bool:
    """The client (the SRO or a client reviewer) queries a plan (para 177); on an incident's plan the Alliance
    Manager, who approves it (para 182), may too."""
    if has_role(user, Role.SRO, Role.CLIENT_REVIEWER):
        return True
    return plan is not None and plan.incident_id is not None and has_role(user, Role.ALLIANCE_MANAGER)


def can_answer_plan_query(user: Person) -> bool:
    return has_role(user, Role.ALLIANCE_MANAGER)


def can_approve_plan(user: Person, plan: ImprovementPlan) -> bool:
    if plan.incident_id is not None:
        return has_role(user, Role.ALLIANCE_MANAGER)  # para 182
    return has_role(user, Role.SRO)  # para 177: the client, through its SRO


def can_close_plan(user: Person, plan: ImprovementPlan) -> bool:
    if plan.incident_id is not None:
        return has_role(user, Role.ALLIANCE_MANAGER)  # para 183
    return has_role(user, Role.ALLIANCE_MANAGER, Role.SRO)


def can_log_efficiency(user: Person) -> bool:
    """The Alliance Manager and partners' people log efficiencies (seed 001)."""
    return can_manage_improvement(user) or is_partner(user)
