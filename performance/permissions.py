"""Who may do what in performance: the scorecard and improvement (processes, plans, incidents, the efficiency
register). Predicates used alike by services, views, the API and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from alliance.models import Role

# Membership and being a partner's person are the alliance's rules (alliance/permissions.py); performance's
# pages read with ``is_alliance_member``.
from alliance.permissions import alliance_id_of, has_role, is_alliance_member, is_partner

if TYPE_CHECKING:
    from alliance.models import Person
    from performance.models import ImprovementPlan

# The refusals of the guards below (``require_*``), shared by the pages, the API and the services.
ERR_NOT_MEMBER = "Only members of the alliance can see its scorecard."
ERR_NOT_MEMBER_FRAMEWORK = "Only members of the alliance can see its performance framework."
ERR_NOT_READER = "Only people of the alliance's organisations see its improvement records."
ERR_SCORE_NOT_ALLOWED = "Only the Alliance Manager and partners' people enter scores; a client reviewer cannot."
ERR_QUARTER_NOT_FREEZER = "Only the Alliance Manager freezes a quarter."
ERR_QUARTER_NOT_CLIENT = "Only the client's reviewers or the SRO accept or return the scorecard (para 160)."
ERR_FRAMEWORK_NOT_MANAGER = "Only the Alliance Manager takes a change of the performance framework to the Board."
ERR_EFFICIENCY_NOT_ALLOWED = "Only the Alliance Manager and partners' people log efficiencies."


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


# --- Guards: each refuses with its message (403) and returns what it checked --------------------------------------


def require_member(user: Person, message: str = ERR_NOT_MEMBER) -> int:
    """Anyone of a member organisation reads the scorecard, its metrics and the framework: their alliance's id."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not is_alliance_member(user):
        raise PermissionDenied(message)
    return alliance_id


def require_score_entry(user: Person) -> int:
    """A member who may enter scores (``can_enter_scores``): their alliance's id."""
    alliance_id = require_member(user)
    if not can_enter_scores(user):
        raise PermissionDenied(ERR_SCORE_NOT_ALLOWED)
    return alliance_id


def require_quarter_freezer(user: Person) -> None:
    if not can_freeze_quarter(user):
        raise PermissionDenied(ERR_QUARTER_NOT_FREEZER)


def require_quarter_decider(user: Person) -> None:
    if not can_decide_quarter(user):
        raise PermissionDenied(ERR_QUARTER_NOT_CLIENT)


def require_framework_proposer(user: Person) -> None:
    if not can_propose_framework_change(user):
        raise PermissionDenied(ERR_FRAMEWORK_NOT_MANAGER)


def require_improvement_reader(user: Person) -> int:
    """Anyone of a member organisation reads improvement records: their alliance's id."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not can_read_improvement(user):
        raise PermissionDenied(ERR_NOT_READER)
    return alliance_id


def require_improvement_manager(user: Person, message: str) -> int:
    """A reader who is the Alliance Manager (``can_manage_improvement``), else ``message``: their alliance's id."""
    alliance_id = require_improvement_reader(user)
    if not can_manage_improvement(user):
        raise PermissionDenied(message)
    return alliance_id


def require_efficiency_logger(user: Person) -> int:
    """A reader who may log efficiencies (``can_log_efficiency``): their alliance's id."""
    alliance_id = require_improvement_reader(user)
    if not can_log_efficiency(user):
        raise PermissionDenied(ERR_EFFICIENCY_NOT_ALLOWED)
    return alliance_id
