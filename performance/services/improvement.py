"""Writes of improvement: performance improvement plans (para 177; the shape of seed 002), incidents
(paras 180-184) and the efficiency register (seed 001).

Three workflows, one transitions table each: ``PLAN_STEPS``, ``INCIDENT_STEPS``, ``EFFICIENCY_STEPS``.

A plan belongs to an improvement process (opened by a frozen quarter, scorecard.py) or to an investigated
incident. The Alliance Manager writes it (aims with their findings, actions with owner, due date, progress
status and evidence) and submits it, which meets the process's IMPROVEMENT_PLAN clock (14 days, para 177;
late is allowed and recorded late). The plan "is taken to the Alliance Board to be reviewed by the Client and
is approved once all queries raised by the Client are addressed": the Board does not vote on it (it is not a
Decision Matrix item); the SRO or a client reviewer raises queries, the Alliance Manager answers them, and
the SRO approves once none is open. For an incident's plan the Alliance Manager approves (para 182).

Monthly reports (quarterly for scenarios 5-6) against an approved plan meet the open IMPROVEMENT_REPORT clock
of the plan's process (or incident) and open the next one a period after the one met, so a late report does
not shift the drumbeat. The aims and actions may be amended while the plan is approved: the monthly
effectiveness review decides amendments or additions (para 177).

The six-month sustain rule (para 177) lives in scorecard.py (``process_recover``/``process_resume``): a plan
closes once its process has recovered or closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import Alliance, Obligation, ObligationKind, ObligationStatus, Role
from alliance.permissions import alliance_id_of
from alliance.workflow import require, save_with_reason
from allocation.models import Scheme
from performance import periods
from performance.models import (
    ActionStatus,
    Assurance,
    EfficiencyEntry,
    ImprovementPlan,
    ImprovementProcess,
    Incident,
    MonthlyReport,
    PlanAction,
    PlanAim,
    PlanQuery,
    PlanStatus,
    ProcessStatus,
    Quarter,
)
from performance.permissions import (
    ERR_EFFICIENCY_NOT_ALLOWED,
    can_answer_plan_query,
    can_approve_plan,
    can_close_plan,
    can_log_efficiency,
    can_manage_improvement,
    can_raise_plan_query,
)
from performance.services.scorecard import _holder, _process_clocks, _subject_label, quarter_for

if TYPE_CHECKING:
    from alliance.models import Person


ERR_PLAN_NOT_AM = "Only the Alliance Manager writes, submits and reports on an improvement plan (para 177)."
ERR_PLAN_NOT_QUERIER = "Only the SRO or a client reviewer raises the client's queries on a plan (para 177)."
ERR_PLAN_NOT_APPROVER = ("Only the SRO approves a plan for the client (para 177); the Alliance Manager approves "
                         "an incident's plan (para 182).")
ERR_PLAN_NOT_CLOSER = "Only the Alliance Manager or the SRO closes an improvement plan."
ERR_PLAN_OTHER_ALLIANCE = "That improvement plan belongs to another alliance."
ERR_PLAN_SUBJECT = "A plan is for one improvement process or one incident of your alliance."
ERR_PLAN_PROCESS_CLOSED = "That improvement process is closed: it needs no new plan."
ERR_PLAN_INCIDENT_NOT_INVESTIGATING = "A plan is opened only from an incident under formal investigation (para 181)."
ERR_PLAN_DUPLICATE = "{subject} already has a plan in progress: {title}."
ERR_PLAN_TEXT_REQUIRED = "Enter the {what}."
ERR_PLAN_ACTION_REQUIRED = "Enter the action, who leads it and when it is due."
ERR_PLAN_EMPTY = "A plan needs at least one aim, and every aim at least one action, before it is submitted."
ERR_PLAN_STEP = "The plan is {status}: it cannot be {action}."
ERR_PLAN_OPEN_QUERIES = "{count} of the client's queries still need an answer: the plan is approved once all are (para 177)."
ERR_PLAN_ALREADY_ANSWERED = "That query has already been answered."
ERR_PLAN_MONTH_FUTURE = "A report covers a month that has begun."
ERR_PLAN_MONTH_REPORTED = "{month} has already been reported on."
ERR_PLAN_PROCESS_NOT_RECOVERED = ("The process has not recovered yet: the plan closes once performance is "
                                  "satisfactory again (para 177).")

ERR_INCIDENT_NOT_AM = "Only the Alliance Manager records and decides on incidents (para 180)."
ERR_INCIDENT_OTHER_ALLIANCE = "That incident belongs to another alliance."
ERR_INCIDENT_DATE_IN_FUTURE = "The incident cannot have happened in the future."
ERR_INCIDENT_TEXT_REQUIRED = "Enter the incident's {what}."
ERR_INCIDENT_REASON_REQUIRED = "Enter the reason."
ERR_INCIDENT_STEP = "The incident is {status}: it cannot be {action}."

ERR_EFFICIENCY_NOT_AM = "Only the Alliance Manager changes an efficiency's assurance level."
ERR_EFFICIENCY_OTHER_ALLIANCE = "That efficiency, scheme or quarter belongs to another alliance."
ERR_EFFICIENCY_TITLE_REQUIRED = "Enter what the efficiency is."
ERR_EFFICIENCY_VALUE = "The value must be more than £0."
ERR_EFFICIENCY_QUARTER_FUTURE = "{quarter} has not started."
ERR_EFFICIENCY_STEP = "An efficiency that is {level} cannot become {to}: assurance only moves forward, one level at a time."

# The workflows, one table each: step -> (the statuses it may be taken from, the status it leads to; None keeps it).
PLAN_STEPS: dict[str, tuple[frozenset[str], str | None]] = {
    "edit": (frozenset({PlanStatus.DRAFT, PlanStatus.APPROVED}), None),
    "submit": (frozenset({PlanStatus.DRAFT}), PlanStatus.SUBMITTED),
    "query": (frozenset({PlanStatus.SUBMITTED}), None),
    "answer": (frozenset({PlanStatus.SUBMITTED}), None),
    "approve": (frozenset({PlanStatus.SUBMITTED}), PlanStatus.APPROVED),
    "report": (frozenset({PlanStatus.APPROVED}), None),
    "close": (frozenset({PlanStatus.APPROVED}), PlanStatus.CLOSED),
    # Closing an incident (para 183) ends its plan wherever it stands.
    "close_with_incident": (frozenset({PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED}),
                            PlanStatus.CLOSED),
}
_PLAN_ACTIONS = {
    "edit": "changed", "submit": "submitted", "query": "queried", "answer": "answered", "approve": "approved",
    "report": "reported on", "close": "closed", "close_with_incident": "closed",
}
INCIDENT_STEPS: dict[str, tuple[frozenset[str], str | None]] = {
    "investigate": (frozenset({Incident.Status.REPORTED}), Incident.Status.INVESTIGATING),
    "not_investigate": (frozenset({Incident.Status.REPORTED}), Incident.Status.NOT_INVESTIGATED),
    "open_plan": (frozenset({Incident.Status.INVESTIGATING}), None),
    "close": (frozenset({Incident.Status.INVESTIGATING}), Incident.Status.CLOSED),
}
_INCIDENT_ACTIONS = {"investigate": "decided on", "not_investigate": "decided on", "open_plan": "given a plan",
                     "close": "closed"}
EFFICIENCY_STEPS: dict[str, tuple[frozenset[str], str]] = {
    Assurance.ASSURED: (frozenset({Assurance.LOGGED}), Assurance.ASSURED),
    Assurance.DELIVERED: (frozenset({Assurance.ASSURED}), Assurance.DELIVERED),
}
PLAN_PARAGRAPH = "para 177"
INCIDENT_PARAGRAPH = "para 181"


# --- What a person may do now: each step's permission and its transitions table, in one place ------------------
# (the pages offer only these; the services below refuse the rest with the step's message)

_PLAN_STEP_ALLOWED: dict[str, Callable[[Person, ImprovementPlan], bool]] = {
    "edit": lambda user, _: can_manage_improvement(user),
    "submit": lambda user, _: can_manage_improvement(user),
    "query": can_raise_plan_query,
    "answer": lambda user, _: can_answer_plan_query(user),
    "approve": can_approve_plan,
    "report": lambda user, _: can_manage_improvement(user),
    "close": can_close_plan,
}


def plan_step_allowed(user: Person, plan: ImprovementPlan, step: str) -> bool:
    """May ``user`` take ``step`` of ``PLAN_STEPS`` on the plan as it stands (para 177; para 182 for an
    incident's plan)?"""
    return plan.status in PLAN_STEPS[step][0] and _PLAN_STEP_ALLOWED[step](user, plan)


def process_plan_allowed(user: Person, process: ImprovementProcess) -> bool:
    """May ``user`` start a plan for the process: the Alliance Manager, while it is not closed (para 177)?"""
    return can_manage_improvement(user) and process.status != ProcessStatus.CLOSED


def incident_step_allowed(user: Person, incident: Incident, step: str) -> bool:
    """May ``user`` take ``step`` of ``INCIDENT_STEPS`` on the incident as it stands (paras 180-183)? A plan is
    opened only while none is in progress."""
    if not (can_manage_improvement(user) and incident.status in INCIDENT_STEPS[step][0]):
        return False
    return step != "open_plan" or not incident.plans.exclude(status=PlanStatus.CLOSED).exists()


# --- Helpers -----------------------------------------------------------------------------------------------


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: [message]})
    return value


def _locked_plan(actor: Person, plan: ImprovementPlan) -> ImprovementPlan:
    """Re-read the plan under a row lock after checking it is the actor's alliance's: two people approving and
    querying at once must not let an approval land beside a fresh query."""
    require(alliance_id_of(actor) == plan.alliance_id, ERR_PLAN_OTHER_ALLIANCE)
    return ImprovementPlan.objects.select_for_update(of=("self",)).select_related(
        "alliance", "process", "incident").get(pk=plan.pk)


def _plan_step(plan: ImprovementPlan, step: str) -> None:
    allowed_from, to = PLAN_STEPS[step]
    if plan.status not in allowed_from:
        raise ValidationError(ERR_PLAN_STEP.format(status=plan.get_status_display().split(":")[0].lower(),
                                                   action=_PLAN_ACTIONS[step]))
    if to is not None:
        plan.status = to


def _locked_incident(actor: Person, incident: Incident) -> Incident:
    require(alliance_id_of(actor) == incident.alliance_id, ERR_INCIDENT_OTHER_ALLIANCE)
    return Incident.objects.select_for_update(of=("self",)).select_related("alliance", "scheme").get(pk=incident.pk)


def _incident_step(incident: Incident, step: str) -> None:
    allowed_from, to = INCIDENT_STEPS[step]
    if incident.status not in allowed_from:
        raise ValidationError(ERR_INCIDENT_STEP.format(status=incident.get_status_display().split(":")[0].lower(),
                                                       action=_INCIDENT_ACTIONS[step]))
    if to is not None:
        incident.status = to


def _incident_clocks(incident: Incident) -> QuerySet[Obligation]:
    return Obligation.objects.filter(subject_type=ContentType.objects.get_for_model(Incident),
                                     subject_id=incident.pk, status=ObligationStatus.OPEN)


def _subject(plan: ImprovementPlan) -> ImprovementProcess | Incident:
    """What the plan is for: its improvement process or its incident (exactly one, since ``plan_create``)."""
    subject = plan.process or plan.incident
    if subject is None:
        raise ValidationError(ERR_PLAN_SUBJECT)
    return subject


def _subject_clocks(plan: ImprovementPlan) -> QuerySet[Obligation]:
    """The open clocks of what the plan is for: its process's (scorecard.py) or its incident's."""
    subject = _subject(plan)
    return _process_clocks(subject) if isinstance(subject, ImprovementProcess) else _incident_clocks(subject)


def _report_months(plan: ImprovementPlan) -> int:
    return 3 if plan.process is not None and plan.process.reporting == "quarterly" else 1


def _subject_name(plan_or_process) -> str:
    if isinstance(plan_or_process, ImprovementProcess):
        return f"the scenario {plan_or_process.scenario} process on {_subject_label(plan_or_process)}"
    return f"incident “{plan_or_process.title}”"


# --- Plans -------------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: Person, title: str, process: ImprovementProcess | None = None,
                incident: Incident | None = None) -> ImprovementPlan:
    """The Alliance Manager starts a plan for an improvement process (para 177) or for an incident under
    investigation (para 181, which also raises reporting to monthly: a monthly report clock opens)."""
    require(can_manage_improvement(actor), ERR_PLAN_NOT_AM)
    alliance_id = alliance_id_of(actor)
    if (process is None) == (incident is None):
        raise ValidationError(ERR_PLAN_SUBJECT)
    title = _text(title, "title", ERR_PLAN_TEXT_REQUIRED.format(what="plan's title"))
    subject: ImprovementProcess | Incident
    if process is not None:
        if process.alliance_id != alliance_id:
            raise ValidationError(ERR_PLAN_SUBJECT)
        # Lock the process: two plans started at once for it must not both pass the duplicate check.
        subject = (ImprovementProcess.objects.select_for_update(of=("self",)).select_related("scheme", "metric")
                   .get(pk=process.pk))
        if subject.status == ProcessStatus.CLOSED:
            raise ValidationError(ERR_PLAN_PROCESS_CLOSED)
        live = ImprovementPlan.objects.filter(process=subject).exclude(status=PlanStatus.CLOSED).first()
    elif incident is not None:
        if incident.alliance_id != alliance_id:
            raise ValidationError(ERR_PLAN_SUBJECT)
        subject = _locked_incident(actor, incident)
        if subject.status != Incident.Status.INVESTIGATING:
            raise ValidationError(ERR_PLAN_INCIDENT_NOT_INVESTIGATING)
        live = ImprovementPlan.objects.filter(incident=subject).exclude(status=PlanStatus.CLOSED).first()
    else:  # refused above; says so to the type checker
        raise ValidationError(ERR_PLAN_SUBJECT)
    if live is not None:
        raise ValidationError(ERR_PLAN_DUPLICATE.format(subject=_subject_name(subject).capitalize(), title=live.title))
    plan = ImprovementPlan(alliance_id=alliance_id, title=title, created_by=actor,
                           process=subject if isinstance(subject, ImprovementProcess) else None,
                           incident=subject if isinstance(subject, Incident) else None)
    save_with_reason(plan, actor, "Drafted")
    if isinstance(subject, Incident) and not _incident_clocks(subject).filter(
            kind=ObligationKind.IMPROVEMENT_REPORT).exists():
        alliance_services.obligation_open(
            actor=actor, alliance=subject.alliance, kind=ObligationKind.IMPROVEMENT_REPORT,
            title=f"Monthly improvement report on {_subject_name(subject)}"[:200], start_date=local_today(),
            months=1, paragraph=INCIDENT_PARAGRAPH, subject=subject, responsible_person=actor, by_workflow=True)
    return plan


@transaction.atomic
def plan_aim_add(*, actor: Person, plan: ImprovementPlan, aim: str, finding: str) -> PlanAim:
    """An improvement aim with what was found (seed 002's "improvement aim" and "background")."""
    require(can_manage_improvement(actor), ERR_PLAN_NOT_AM)
    plan = _locked_plan(actor, plan)
    _plan_step(plan, "edit")
    aim = _text(aim, "aim", ERR_PLAN_TEXT_REQUIRED.format(what="aim"))
    finding = _text(finding, "finding", ERR_PLAN_TEXT_REQUIRED.format(what="finding"))
    order = (plan.aims.aggregate(n=Max("order"))["n"] or 0) + 1
    record = PlanAim(plan=plan, order=order, aim=aim[:300], finding=finding)
    save_with_reason(record, actor, _amendment(plan, "Aim added"))
    _touch(plan, actor, _amendment(plan, f"Aim {order} added"))
    return record


@transaction.atomic
def plan_action_add(*, actor: Person, aim: PlanAim, action: str, owner: str, due_on: dt.date | None,
                    status: str = ActionStatus.NOT_STARTED, evidence: str = "") -> PlanAction:
    """An action against an aim, with who leads it and when it is due (seed 002)."""
    require(can_manage_improvement(actor), ERR_PLAN_NOT_AM)
    plan = _locked_plan(actor, aim.plan)
    _plan_step(plan, "edit")
    if not (action or "").strip() or not (owner or "").strip() or due_on is None:
        raise ValidationError(ERR_PLAN_ACTION_REQUIRED)
    if status not in ActionStatus.values:
        raise ValidationError({"status": [f"Unknown progress status: {status!r}."]})
    record = PlanAction(aim=aim, action=action.strip(), owner=owner.strip()[:200], due_on=due_on, status=status,
                        evidence=(evidence or "").strip())
    save_with_reason(record, actor, _amendment(plan, "Action added"))
    _touch(plan, actor, _amendment(plan, f"Action added to aim {aim.order}"))
    return record


@transaction.atomic
def plan_action_update(*, actor: Person, action: PlanAction, status: str, evidence: str = "",
                       due_on: dt.date | None = None) -> PlanAction:
    """Progress on an action: its status, evidence and, if it moved, its due date (seed 002)."""
    require(can_manage_improvement(actor), ERR_PLAN_NOT_AM)
    plan = _locked_plan(actor, action.aim.plan)
    _plan_step(plan, "edit")
    if status not in ActionStatus.values:
        raise ValidationError({"status": [f"Unknown progress status: {status!r}."]})
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    action.status = status
    if evidence.strip():
        action.evidence = evidence.strip()
    if due_on is not None:
        action.due_on = due_on
    save_with_reason(action, actor, _amendment(plan, f"Progress: {action.get_status_display().lower()}"))
    return action


def _amendment(plan: ImprovementPlan, what: str) -> str:
    if plan.status == PlanStatus.APPROVED:
        return f"{what}: amended after the monthly effectiveness review (para 177)"
    return what


def _touch(plan: ImprovementPlan, actor: Person, reason: str) -> None:
    """A history row on the plan itself, so that its timeline shows amendments."""
    save_with_reason(plan, actor, reason)


@transaction.atomic
def plan_submit(*, actor: Person, plan: ImprovementPlan) -> ImprovementPlan:
    """The Alliance Manager submits the plan for the client's review at the Board (para 177): its process's
    14-day plan clock is met today, late if it is past due."""
    require(can_manage_improvement(actor), ERR_PLAN_NOT_AM)
    plan = _locked_plan(actor, plan)
    _plan_step(plan, "submit")
    aims = list(plan.aims.all().prefetch_related("actions"))
    if not aims or any(not a.actions.all() for a in aims):
        raise ValidationError(ERR_PLAN_EMPTY)
    plan.submitted_at = timezone.now()
    save_with_reason(plan, actor, "Submitted for the client's review at the Alliance Board (para 177)")
    today = local_today()
    for clock in _subject_clocks(plan).filter(kind=ObligationKind.IMPROVEMENT_PLAN):
        alliance_services.obligation_meet(actor=actor, obligation=clock, on=max(today, clock.start_date),
                                          reason="Plan submitted", by_workflow=True)
    return plan


@transaction.atomic
def plan_query_raise(*, actor: Person, plan: ImprovementPlan, question: str) -> PlanQuery:
    """The client (the SRO or a client reviewer) raises a query on the submitted plan (para 177)."""
    require(alliance_id_of(actor) == plan.alliance_id, ERR_PLAN_OTHER_ALLIANCE)
    require(can_raise_plan_query(actor, plan), ERR_PLAN_NOT_QUERIER)
    plan = _locked_plan(actor, plan)
    _plan_step(plan, "query")
    question = _text(question, "question", ERR_PLAN_TEXT_REQUIRED.format(what="query"))
    query = PlanQuery(plan=plan, question=question, raised_by=actor)
    save_with_reason(query, actor, "Query raised")
    return query


@transaction.atomic
def plan_query_answer(*, actor: Person, query: PlanQuery, answer: str) -> PlanQuery:
    """The Alliance Manager answers a query; the plan is approved once all are (para 177)."""
    require(can_answer_plan_query(actor), ERR_PLAN_NOT_AM)
    plan = _locked_plan(actor, query.plan)
    _plan_step(plan, "answer")
    answer = _text(answer, "answer", ERR_PLAN_TEXT_REQUIRED.format(what="answer"))
    query = PlanQuery.objects.select_for_update().get(pk=query.pk)
    if query.answered_at is not None:
        raise ValidationError(ERR_PLAN_ALREADY_ANSWERED)
    query.answer, query.answered_by, query.answered_at = answer, actor, timezone.now()
    save_with_reason(query, actor, "Query answered")
    return query


@transaction.atomic
def plan_approve(*, actor: Person, plan: ImprovementPlan) -> ImprovementPlan:
    """The SRO approves for the client once every query is answered (para 177); the Alliance Manager approves an
    incident's plan (para 182). The plan row is locked, so a query raised meanwhile waits and then is refused."""
    require(alliance_id_of(actor) == plan.alliance_id, ERR_PLAN_OTHER_ALLIANCE)
    require(can_approve_plan(actor, plan), ERR_PLAN_NOT_APPROVER)
    plan = _locked_plan(actor, plan)
    _plan_step(plan, "approve")
    open_queries = plan.queries.filter(answered_at__isnull=True).count()
    if open_queries:
        raise ValidationError(ERR_PLAN_OPEN_QUERIES.format(count=open_queries))
    plan.approved_by, plan.approved_at = actor, timezone.now()
    save_with_reason(plan, actor, "Approved: " + ("by the Alliance Manager (para 182)" if plan.incident_id
                                       else "all the client's queries addressed (para 177)"))
    return plan


@transaction.atomic
def plan_report(*, actor: Person, plan: ImprovementPlan, month: dt.date, progress: str,
                effectiveness: str) -> MonthlyReport:
    """A monthly report against the approved plan with the effectiveness review (para 177): meets the open
    report clock of the plan's process or incident and opens the next, a reporting period after the one met."""
    require(can_manage_improvement(actor), ERR_PLAN_NOT_AM)
    plan = _locked_plan(actor, plan)
    _plan_step(plan, "report")
    month = month.replace(day=1)
    today = local_today()
    if month > today:
        raise ValidationError({"month": [ERR_PLAN_MONTH_FUTURE]})
    if plan.reports.filter(month=month).exists():
        raise ValidationError({"month": [ERR_PLAN_MONTH_REPORTED.format(month=f"{month:%B %Y}")]})
    progress = _text(progress, "progress", ERR_PLAN_TEXT_REQUIRED.format(what="progress against the plan"))
    effectiveness = _text(effectiveness, "effectiveness",
                          ERR_PLAN_TEXT_REQUIRED.format(what="review of the plan's effectiveness"))
    report = MonthlyReport(plan=plan, month=month, progress=progress, effectiveness=effectiveness,
                           submitted_by=actor)
    save_with_reason(report, actor, f"Report for {month:%B %Y}")
    _touch(plan, actor, f"Reported on {month:%B %Y}")
    clocks = list(_subject_clocks(plan).filter(kind=ObligationKind.IMPROVEMENT_REPORT).order_by("due_date"))
    for clock in clocks:
        alliance_services.obligation_meet(actor=actor, obligation=clock, on=max(today, clock.start_date),
                                          reason=f"Report for {month:%B %Y}", by_workflow=True)
    subject = _subject(plan)
    live = (subject.status == ProcessStatus.OPEN if isinstance(subject, ImprovementProcess)
            else subject.status == Incident.Status.INVESTIGATING)
    if live:
        months = _report_months(plan)
        start = clocks[-1].due_date if clocks else today
        holder = _holder(plan.alliance, Role.ALLIANCE_MANAGER) or actor
        period = "Quarterly" if months == 3 else "Monthly"
        alliance_services.obligation_open(
            actor=actor, alliance=plan.alliance, kind=ObligationKind.IMPROVEMENT_REPORT,
            title=f"{period} improvement report on {_subject_name(subject)}"[:200], start_date=start,
            due_date=add_months(start, months), subject=subject, responsible_person=holder,
            paragraph=clocks[-1].paragraph if clocks else (PLAN_PARAGRAPH if plan.process_id else INCIDENT_PARAGRAPH),
            by_workflow=True)
    return report


@transaction.atomic
def plan_close(*, actor: Person, plan: ImprovementPlan, note: str) -> ImprovementPlan:
    """Close an approved plan: a process's once its performance has recovered (it is recovering or closed,
    para 177); an incident's when the Alliance Manager judges progress sufficient (para 183)."""
    require(alliance_id_of(actor) == plan.alliance_id, ERR_PLAN_OTHER_ALLIANCE)
    require(can_close_plan(actor, plan), ERR_PLAN_NOT_CLOSER)
    plan = _locked_plan(actor, plan)
    _plan_step(plan, "close")
    note = _text(note, "note", ERR_PLAN_TEXT_REQUIRED.format(what="closing note"))
    if plan.process is not None and plan.process.status == ProcessStatus.OPEN:
        raise ValidationError(ERR_PLAN_PROCESS_NOT_RECOVERED)
    plan.closed_at, plan.closing_note = timezone.now(), note
    save_with_reason(plan, actor, "Closed: performance recovered" if plan.process_id else "Closed (para 183)")
    return plan


# --- Incidents (paras 180-184) -------------------------------------------------------------------------------


@transaction.atomic
def incident_record(*, actor: Person, scheme: Scheme, occurred_on: dt.date, title: str,
                    description: str) -> Incident:
    """The Alliance Manager records an incident on a scheme (para 180)."""
    require(can_manage_improvement(actor), ERR_INCIDENT_NOT_AM)
    alliance_id = alliance_id_of(actor)
    if scheme is None or scheme.alliance_id != alliance_id:
        raise ValidationError({"scheme": [ERR_INCIDENT_OTHER_ALLIANCE]})
    if occurred_on is None or occurred_on > local_today():
        raise ValidationError({"occurred_on": [ERR_INCIDENT_DATE_IN_FUTURE]})
    title = _text(title, "title", ERR_INCIDENT_TEXT_REQUIRED.format(what="title"))
    description = _text(description, "description", ERR_INCIDENT_TEXT_REQUIRED.format(what="description"))
    incident = Incident(alliance_id=alliance_id, scheme=scheme, occurred_on=occurred_on, title=title[:300],
                        description=description, reported_by=actor)
    save_with_reason(incident, actor, "Recorded")
    return incident


@transaction.atomic
def incident_decide(*, actor: Person, incident: Incident, investigate: bool, reason: str) -> Incident:
    """The Alliance Manager decides whether a formal investigation is required, and says why (para 180)."""
    require(can_manage_improvement(actor), ERR_INCIDENT_NOT_AM)
    incident = _locked_incident(actor, incident)
    _incident_step(incident, "investigate" if investigate else "not_investigate")
    incident.decision_reason = _text(reason, "reason", ERR_INCIDENT_REASON_REQUIRED)
    save_with_reason(incident, actor, "Formal investigation (para 180)" if investigate else "No formal investigation (para 180)")
    return incident


@transaction.atomic
def incident_close(*, actor: Person, incident: Incident, reason: str) -> Incident:
    """The Alliance Manager closes the incident management process once progress is sufficient (para 183):
    its plans close with it and its report clocks are cancelled."""
    require(can_manage_improvement(actor), ERR_INCIDENT_NOT_AM)
    incident = _locked_incident(actor, incident)
    _incident_step(incident, "close")
    reason = _text(reason, "reason", ERR_INCIDENT_REASON_REQUIRED)
    incident.closed_on = local_today()
    save_with_reason(incident, actor, f"Closed (para 183): {reason}"[:100])
    for plan in ImprovementPlan.objects.select_for_update().filter(incident=incident).exclude(
            status=PlanStatus.CLOSED):
        _plan_step(plan, "close_with_incident")
        plan.closed_at, plan.closing_note = timezone.now(), reason
        save_with_reason(plan, actor, "Closed with its incident (para 183)")
    for clock in _incident_clocks(incident):
        alliance_services.obligation_cancel(actor=actor, obligation=clock, reason="Incident closed (para 183)",
                                            by_workflow=True)
    return incident


# --- The efficiency register (seed 001) ------------------------------------------------------------------------


@transaction.atomic
def efficiency_log(*, actor: Person, title: str, value: Decimal | None, quarter: Quarter | None = None,
                   period: str = "", scheme: Scheme | None = None) -> EfficiencyEntry:
    """The Alliance Manager or a partner's person logs an efficiency: what, how much, on which scheme, in which
    quarter (a Quarter, or a ``period`` like 2026-Q3). It starts "logged" (seed 001: logged, assured, delivered)."""
    require(can_log_efficiency(actor), ERR_EFFICIENCY_NOT_ALLOWED)
    alliance_id = alliance_id_of(actor)
    if alliance_id is None:
        raise PermissionDenied(ERR_EFFICIENCY_NOT_ALLOWED)
    title = _text(title, "title", ERR_EFFICIENCY_TITLE_REQUIRED)
    if value is None or not Decimal(value).is_finite() or Decimal(value) <= 0:
        raise ValidationError({"value": [ERR_EFFICIENCY_VALUE]})
    parsed = periods.parse(period)
    if quarter is None and parsed is not None:
        year, number = parsed
        if periods.bounds(year, number)[0] > local_today():
            raise ValidationError({"quarter": [ERR_EFFICIENCY_QUARTER_FUTURE.format(quarter=period)]})
        quarter = quarter_for(Alliance.objects.get(pk=alliance_id), year, number)
    if quarter is None or quarter.alliance_id != alliance_id:
        raise ValidationError({"quarter": [ERR_EFFICIENCY_OTHER_ALLIANCE]})
    if quarter.starts_on > local_today():
        raise ValidationError({"quarter": [ERR_EFFICIENCY_QUARTER_FUTURE.format(quarter=quarter.label)]})
    if scheme is not None and scheme.alliance_id != alliance_id:
        raise ValidationError({"scheme": [ERR_EFFICIENCY_OTHER_ALLIANCE]})
    entry = EfficiencyEntry(alliance=Alliance(pk=alliance_id), quarter=quarter, scheme=scheme, title=title[:300],
                            value=Decimal(value), logged_by=actor)
    save_with_reason(entry, actor, "Logged")
    return entry


@transaction.atomic
def efficiency_assure(*, actor: Person, entry: EfficiencyEntry, to: str) -> EfficiencyEntry:
    """The Alliance Manager moves an efficiency forward: logged → assured → delivered."""
    require(alliance_id_of(actor) == entry.alliance_id, ERR_EFFICIENCY_OTHER_ALLIANCE)
    require(can_manage_improvement(actor), ERR_EFFICIENCY_NOT_AM)
    # Locked: two clicks at once must not both move it from the same level.
    entry = EfficiencyEntry.objects.select_for_update().get(pk=entry.pk)
    allowed_from, target = EFFICIENCY_STEPS.get(to, (frozenset(), to))
    if entry.assurance not in allowed_from:
        raise ValidationError(ERR_EFFICIENCY_STEP.format(level=entry.get_assurance_display().lower(),
                                                         to=str(to).lower()))
    entry.assurance = target
    save_with_reason(entry, actor, f"Assurance: {entry.get_assurance_display().lower()}")
    return entry
