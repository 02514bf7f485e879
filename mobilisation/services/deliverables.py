"""Writes of the mobilisation plan (section 10): Table 7's deliverables and those added, their owners and
approval, their evidence, and the partners' review and the baseline of the plan (paras 212-214).

1. ``deliverables_seed`` makes Table 7's 28 products (para 212), due from the Alliance Start Date, with one
   MOBILISATION_DELIVERABLE obligation each. The Alliance Manager adds more, assigns owners, dimensions (para
   211), stages (para 210), phases (para 208) and approvers; a changed due date re-dates the obligation.
2. A deliverable moves by ``DELIVERABLE_STEPS``: not started → in progress → submitted (the owner's people or
   the Alliance Manager) → approved (its approver, else the Alliance Manager), or returned to in progress.
   Approval meets the obligation; after the due date it is recorded late (Table 7's footnote: "no later than").
3. The plan: the Alliance Manager sends the draft to the partners (para 213), each partner approves or comments
   (para 214, one review per partner, changeable), and the Alliance Manager baselines it once every partner has
   approved; the baseline keeps each deliverable's due date, so later changes show as slippage.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance import services as alliance_services
from alliance.dates import add_period, local_today
from alliance.documents import OOXML, document_content_type
from alliance.models import Alliance, Obligation, ObligationKind, Organisation, OrganisationKind, Person
from alliance.selectors import alliance_manager, nominators_of, open_obligations_of
from alliance.workflow import require, require_nameable, save_with_reason, step
from mobilisation.catalogue import DUE_PERIODS, TABLE_7, reference_for
from mobilisation.models import (
    Deliverable,
    DeliverableEvidence,
    DeliverableStatus,
    Dimension,
    DuePeriod,
    MobilisationPlan,
    MobilisationPlanStatus,
    PhaseKind,
    PlanReview,
    PlanReviewVerdict,
    Stage,
)
from mobilisation.permissions import (
    can_review_plan,
    can_view_mobilisation,
    can_work_on_deliverable,
    is_alliance_manager,
    require_deliverables_manager,
)

if TYPE_CHECKING:
    from django.core.files import File
    from django.core.files.uploadedfile import UploadedFile

ERR_DELIVERABLE_NOT_OWNER = "Only the owner organisation's people or the Alliance Manager work on this deliverable."
ERR_DELIVERABLE_NOT_APPROVER = "Only this deliverable's approver (or, without one, the Alliance Manager) approves it."
ERR_DELIVERABLE_STEP = "This deliverable is {status}: it cannot be {action}."
ERR_DELIVERABLE_TITLE = "Give the deliverable a title."
ERR_DELIVERABLE_DUE_DATE = "Give the due date of a deliverable due by a set date."
ERR_DELIVERABLE_DUE_BEFORE_START = "A deliverable cannot be due before the Alliance Start Date ({start})."
ERR_DELIVERABLE_OWNER = "The owner must be a member organisation of this alliance."
ERR_DELIVERABLE_UNKNOWN = "Not a {what}: {value!r}."
ERR_DELIVERABLE_RETURN_REASON = "Say what the deliverable still needs: its owner needs to know why it was returned."
ERR_DELIVERABLE_EVIDENCE_TITLE = "Give the evidence a title."
ERR_DELIVERABLE_EVIDENCE_NONE = "Attach a file or give a link."
ERR_DELIVERABLE_EVIDENCE_BOTH = "Give a file or a link, not both: add each as its own evidence."
ERR_DELIVERABLE_EVIDENCE_TYPE = "Evidence files must be PDF, Word, Excel or PowerPoint files (checked by their content)."
ERR_MOBILISATION_PLAN_NOT_AM = "Only the Alliance Manager sends the mobilisation plan for review and baselines it (paras 213-214)."
ERR_MOBILISATION_PLAN_NOT_PARTNER = "Only a partner's staff, representative or delegate reviews the mobilisation plan (para 214)."
ERR_MOBILISATION_PLAN_SENT = "The mobilisation plan is {status}: it cannot be sent for review."
ERR_MOBILISATION_PLAN_NOT_IN_REVIEW = "The mobilisation plan is {status}: it cannot be {action}."
ERR_MOBILISATION_PLAN_BASELINED = "The mobilisation plan is already baselined."
ERR_MOBILISATION_PLAN_COMMENTS = "Give your comments: the Alliance Manager needs to know what to change (para 214)."
ERR_MOBILISATION_PLAN_NOT_APPROVED = ("The plan cannot be baselined until every partner has approved it (para 214); "
                                      "not yet approved by: {partners}.")

OBLIGATION_PARAGRAPH = "para 212, Table 7"

DELIVERABLE_STEPS: dict[str, tuple[set[str], str]] = {
    "start": ({DeliverableStatus.NOT_STARTED}, DeliverableStatus.IN_PROGRESS),
    "submit": ({DeliverableStatus.NOT_STARTED, DeliverableStatus.IN_PROGRESS}, DeliverableStatus.SUBMITTED),
    "approve": ({DeliverableStatus.SUBMITTED}, DeliverableStatus.APPROVED),
    "return": ({DeliverableStatus.SUBMITTED}, DeliverableStatus.IN_PROGRESS),
}
MOBILISATION_PLAN_STEPS: dict[str, tuple[set[str], str]] = {
    "send": ({MobilisationPlanStatus.DRAFT}, MobilisationPlanStatus.IN_REVIEW),
    "review": ({MobilisationPlanStatus.IN_REVIEW}, MobilisationPlanStatus.IN_REVIEW),
    "baseline": ({MobilisationPlanStatus.IN_REVIEW}, MobilisationPlanStatus.BASELINED),
}
_EXTENSIONS = {"application/pdf": ".pdf", **{v: f".{k}" for k, v in OOXML.items()}}


# --- Helpers ------------------------------------------------------------------------------------------------
def _link(deliverable: Deliverable) -> str:
    return reverse("mobilisation-deliverable", args=[deliverable.pk])


def _due_on(alliance: Alliance, period: str, due_on: dt.date | None) -> dt.date:
    """Table 7's timeframe from the Alliance Start Date, or the set date."""
    if period in DUE_PERIODS:
        return add_period(alliance.start_date, **DUE_PERIODS[period])
    if period != DuePeriod.DATE:
        raise ValidationError({"due_period": [ERR_DELIVERABLE_UNKNOWN.format(what="due period", value=period)]})
    if due_on is None:
        raise ValidationError({"due_on": [ERR_DELIVERABLE_DUE_DATE]})
    if due_on < alliance.start_date:
        raise ValidationError({"due_on": [ERR_DELIVERABLE_DUE_BEFORE_START.format(
            start=f"{alliance.start_date:%-d %b %Y}")]})
    return due_on


def _check_choice(field: str, value: str, choices, what: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: [ERR_DELIVERABLE_UNKNOWN.format(what=what, value=value)]})


def _check_people(alliance: Alliance, owner: Organisation | None, approver: Person | None, *,
                  actor: Person | None = None, approver_before: int | None = None) -> None:
    """The owner is an organisation of the alliance; a newly named approver is a person ``actor`` may name
    (alliance.permissions.may_name_person). An approver named before who has since left stays until changed."""
    if owner is not None and owner.alliance_id != alliance.pk:
        raise ValidationError({"owner": [ERR_DELIVERABLE_OWNER]})
    if approver is not None and approver.pk != approver_before:
        # Every caller naming an approver passes its actor (only deliverables_seed passes none, naming no approver).
        require_nameable(cast("Person", actor), approver, field="approver")


def _obligation_fields(deliverable: Deliverable, alliance: Alliance, manager: Person | None) -> dict:
    """One MOBILISATION_DELIVERABLE clock per deliverable: the owner is responsible, else the Alliance Manager
    (who assigns owners)."""
    return {
        "alliance": alliance, "kind": ObligationKind.MOBILISATION_DELIVERABLE,
        "title": f"{deliverable.reference} {deliverable.title}"[:200], "paragraph": OBLIGATION_PARAGRAPH,
        "start_date": min(alliance.start_date, deliverable.due_on), "due_date": deliverable.due_on,
        "subject": deliverable, "responsible_organisation": deliverable.owner,
        "responsible_person": None if deliverable.owner_id else manager,
    }


def _open_obligation(actor: Person | None, deliverable: Deliverable) -> Obligation:
    alliance = deliverable.alliance
    return alliance_services.obligation_open(
        actor=actor, by_workflow=True, **_obligation_fields(deliverable, alliance, alliance_manager(alliance.pk)))


def _locked(deliverable: Deliverable) -> Deliverable:
    return (Deliverable.objects.select_for_update(of=("self",)).select_related("alliance", "owner")
            .get(pk=deliverable.pk))


def _next_number(alliance: Alliance) -> int:
    references = Deliverable.objects.filter(alliance=alliance, reference__startswith="MOB-").values_list(
        "reference", flat=True)
    numbers = [int(r[4:]) for r in references if r[4:].isascii() and r[4:].isdecimal()]
    return max(numbers, default=0) + 1


def _lock_plan(alliance: Alliance) -> MobilisationPlan:
    """The plan row serialises the writes that span the alliance's deliverables: two seeds (or two additions)
    at once would otherwise take the same references, and a review must not land after the baseline."""
    mobilisation_plan_ensure(alliance=alliance)
    return MobilisationPlan.objects.select_for_update().select_related("alliance").get(alliance=alliance)


# --- Seeding and managing deliverables ---------------------------------------------------------------------
@transaction.atomic
def mobilisation_plan_ensure(*, alliance: Alliance) -> MobilisationPlan:
    """The alliance's plan, made as a draft the first time (para 213: collated by the Alliance Manager)."""
    try:
        with transaction.atomic():
            plan, _ = MobilisationPlan.objects.get_or_create(alliance=alliance)
    except IntegrityError:  # made meanwhile by a concurrent request
        plan = MobilisationPlan.objects.get(alliance=alliance)
    return plan


@transaction.atomic
def deliverables_seed(alliance: Alliance, *, actor: Person | None = None,
                      owners: dict[str, Organisation] | None = None) -> list[Deliverable]:
    """Make Table 7's deliverables (para 212) that the alliance does not have yet, each due from the Alliance
    Start Date by its timeframe, and open one obligation each. Running it again makes nothing. Owners are
    none (the Alliance Manager assigns them) unless ``owners`` names some by reference (the demo). Without
    ``actor`` it runs as the system (the demo, a management command); a person must be the Alliance Manager."""
    if actor is not None:
        require_deliverables_manager(actor, alliance.pk)
    owners = owners or {}
    for owner in owners.values():
        _check_people(alliance, owner, None)
    _lock_plan(alliance)
    have = set(Deliverable.objects.filter(alliance=alliance, from_table_7=True).values_list("reference", flat=True))
    new = []
    for number, item in enumerate(TABLE_7, start=1):
        reference = reference_for(number)
        if reference in have:
            continue
        new.append(Deliverable(
            alliance=alliance, reference=reference, title=item.title, source=item.source, from_table_7=True,
            due_period=item.period, due_on=_due_on(alliance, item.period, None), dimension=item.dimension,
            stage=item.stage, phase=item.phase, order=number, owner=owners.get(reference)))
    if not new:
        return []
    created = bulk_create_with_history(new, Deliverable, default_user=actor,
                                       default_change_reason="From Table 7 (para 212)")
    if created and created[0].pk is None:  # not every backend returns ids from a bulk insert
        created = list(Deliverable.objects.filter(alliance=alliance, reference__in=[d.reference for d in new]))
    manager = alliance_manager(alliance.pk)
    alliance_services.obligations_open_bulk(actor=actor, obligations=[
        {**_obligation_fields(d, alliance, manager), "by_workflow": True} for d in created])
    return created


@transaction.atomic
def deliverable_add(*, actor: Person, alliance: Alliance, title: str, dimension: str, due_period: str,
                    due_on: dt.date | None = None, source: str = "", stage: str = Stage.FULL,
                    phase: str = PhaseKind.INTERIM, owner: Organisation | None = None,
                    approver: Person | None = None) -> Deliverable:
    """The Alliance Manager adds a deliverable Table 7 does not list (it is "not an exhaustive list"), due by a
    set date or a period from the Alliance Start Date."""
    require_deliverables_manager(actor, alliance.pk)
    if not title.strip():
        raise ValidationError({"title": [ERR_DELIVERABLE_TITLE]})
    _check_choice("dimension", dimension, Dimension, "dimension")
    _check_choice("stage", stage, Stage, "stage")
    _check_choice("phase", phase, PhaseKind, "phase")
    _check_people(alliance, owner, approver, actor=actor)
    due = _due_on(alliance, due_period, due_on)
    _lock_plan(alliance)
    number = _next_number(alliance)
    deliverable = Deliverable(
        alliance=alliance, reference=reference_for(number), title=title.strip(), source=source.strip(),
        due_period=due_period, due_on=due, dimension=dimension, stage=stage, phase=phase, owner=owner,
        approver=approver, order=number)
    save_with_reason(deliverable, actor, "Added by the Alliance Manager")
    _open_obligation(actor, deliverable)
    if owner is not None:
        _tell_owner(deliverable)
    return deliverable


_UNSET = object()


@transaction.atomic
def deliverable_update(*, actor: Person, deliverable: Deliverable, title: str | None = None,
                       source: str | None = None, dimension: str | None = None, stage: str | None = None,
                       phase: str | None = None, due_period: str | None = None, due_on: dt.date | None = None,
                       owner=_UNSET, approver=_UNSET, reason: str = "") -> Deliverable:
    """The Alliance Manager changes a deliverable: owner, dimension, stage, phase, approver, title or due date.
    A new due date re-dates its open obligation; a new owner takes over the obligation (the old one is
    cancelled and a new one opened, so that reminders go to the new owner)."""
    deliverable = _locked(deliverable)
    alliance = deliverable.alliance
    require_deliverables_manager(actor, alliance.pk)
    changes = []
    if title is not None:
        if not title.strip():
            raise ValidationError({"title": [ERR_DELIVERABLE_TITLE]})
        deliverable.title = title.strip()
    if source is not None:
        deliverable.source = source.strip()
    for field, value, choices in (("dimension", dimension, Dimension), ("stage", stage, Stage),
                                  ("phase", phase, PhaseKind)):
        if value is not None:
            _check_choice(field, value, choices, field)
            if getattr(deliverable, field) != value:
                setattr(deliverable, field, value)
                changes.append(field)
    new_owner = deliverable.owner if owner is _UNSET else owner
    new_approver = deliverable.approver if approver is _UNSET else approver
    _check_people(alliance, new_owner, new_approver, actor=actor, approver_before=deliverable.approver_id)
    owner_changed = (new_owner.pk if new_owner else None) != deliverable.owner_id
    deliverable.owner, deliverable.approver = new_owner, new_approver
    old_due = deliverable.due_on
    if due_period is not None:
        deliverable.due_on = _due_on(alliance, due_period, due_on)
        deliverable.due_period = due_period
    due_changed = deliverable.due_on != old_due
    if owner_changed:
        changes.append(f"owner {new_owner.name if new_owner else 'none'}")
    if due_changed:
        changes.append(f"due {deliverable.due_on:%-d %b %Y}")
    save_with_reason(deliverable, actor, (reason.strip() or "Changed") + (f": {', '.join(changes)}" if changes else ""))
    if deliverable.status != DeliverableStatus.APPROVED:
        _follow_obligation(actor, deliverable, owner_changed=owner_changed, due_changed=due_changed,
                           reason=reason.strip() or "Changed by the Alliance Manager")
    if owner_changed and new_owner is not None:
        _tell_owner(deliverable)
    return deliverable


def _follow_obligation(actor: Person, deliverable: Deliverable, *, owner_changed: bool, due_changed: bool,
                       reason: str) -> None:
    """Keep the deliverable's open obligation in step with its owner and due date."""
    open_ones = list(open_obligations_of(deliverable, kind=ObligationKind.MOBILISATION_DELIVERABLE))
    if owner_changed or not open_ones:
        for obligation in open_ones:
            alliance_services.obligation_cancel(actor=actor, obligation=obligation, by_workflow=True,
                                                reason=f"Owner changed: {reason}"[:100])
        _open_obligation(actor, deliverable)
        return
    if due_changed:
        for obligation in open_ones:
            if obligation.start_date > deliverable.due_on:
                alliance_services.obligation_cancel(actor=actor, obligation=obligation, by_workflow=True,
                                                    reason=f"Due date moved before its start: {reason}"[:100])
                _open_obligation(actor, deliverable)
            elif obligation.due_date != deliverable.due_on:
                alliance_services.obligation_redate(actor=actor, obligation=obligation, due_date=deliverable.due_on,
                                                    reason=reason, by_workflow=True)


def _tell_owner(deliverable: Deliverable) -> None:
    if deliverable.owner_id is None:
        return
    alliance_services.notification_send(
        recipients=nominators_of(deliverable.owner_id),
        title=f"Your organisation owns mobilisation deliverable {deliverable.reference}: {deliverable.title}",
        link=_link(deliverable))


# --- The status flow ----------------------------------------------------------------------------------------
def _approver_ok(actor: Person, deliverable: Deliverable) -> bool:
    if deliverable.approver_id is not None:
        return deliverable.approver_id == actor.pk
    return is_alliance_manager(actor, deliverable.alliance_id)


@transaction.atomic
def deliverable_start(*, actor: Person, deliverable: Deliverable) -> Deliverable:
    deliverable = _locked(deliverable)
    require(can_work_on_deliverable(actor, deliverable.owner_id, deliverable.alliance_id), ERR_DELIVERABLE_NOT_OWNER)
    step(deliverable, DELIVERABLE_STEPS, ERR_DELIVERABLE_STEP, "start", "started")
    save_with_reason(deliverable, actor, "Started")
    return deliverable


@transaction.atomic
def deliverable_submit(*, actor: Person, deliverable: Deliverable) -> Deliverable:
    """The owner's people (or the Alliance Manager) submit the deliverable for approval."""
    deliverable = _locked(deliverable)
    require(can_work_on_deliverable(actor, deliverable.owner_id, deliverable.alliance_id), ERR_DELIVERABLE_NOT_OWNER)
    step(deliverable, DELIVERABLE_STEPS, ERR_DELIVERABLE_STEP, "submit", "submitted")
    save_with_reason(deliverable, actor, "Submitted for approval")
    approver = deliverable.approver or alliance_manager(deliverable.alliance_id)
    if approver is not None:
        alliance_services.notification_send(
            recipients=[approver], title=f"{deliverable.reference} {deliverable.title} is submitted for your approval",
            link=_link(deliverable))
    return deliverable


@transaction.atomic
def deliverable_approve(*, actor: Person, deliverable: Deliverable) -> Deliverable:
    """Its approver (else the Alliance Manager) approves it today; after its due date it is recorded late
    (``late_by_days``), and its obligation is met today (late too)."""
    deliverable = _locked(deliverable)
    require(can_view_mobilisation(actor, deliverable.alliance_id) and _approver_ok(actor, deliverable),
            ERR_DELIVERABLE_NOT_APPROVER)
    step(deliverable, DELIVERABLE_STEPS, ERR_DELIVERABLE_STEP, "approve", "approved")
    deliverable.approved_on = local_today()
    late = deliverable.late_by_days
    save_with_reason(deliverable, actor, f"Approved {late} days late" if late else "Approved")
    alliance_services.obligations_meet_for(actor=actor, subject=deliverable,
                                           kind=ObligationKind.MOBILISATION_DELIVERABLE, reason="Deliverable approved")
    if deliverable.owner_id:
        alliance_services.notification_send(
            recipients=nominators_of(deliverable.owner_id),
            title=f"{deliverable.reference} {deliverable.title} is approved", link=_link(deliverable))
    return deliverable


@transaction.atomic
def deliverable_return(*, actor: Person, deliverable: Deliverable, comments: str) -> Deliverable:
    """Its approver sends a submitted deliverable back to work, saying what it needs."""
    deliverable = _locked(deliverable)
    require(can_view_mobilisation(actor, deliverable.alliance_id) and _approver_ok(actor, deliverable),
            ERR_DELIVERABLE_NOT_APPROVER)
    if not comments.strip():
        raise ValidationError({"comments": [ERR_DELIVERABLE_RETURN_REASON]})
    step(deliverable, DELIVERABLE_STEPS, ERR_DELIVERABLE_STEP, "return", "returned")
    save_with_reason(deliverable, actor, f"Returned: {comments.strip()}")
    if deliverable.owner_id:
        alliance_services.notification_send(
            recipients=nominators_of(deliverable.owner_id), body=comments.strip(),
            title=f"{deliverable.reference} {deliverable.title} was returned", link=_link(deliverable))
    return deliverable


# --- Evidence -----------------------------------------------------------------------------------------------
@transaction.atomic
def evidence_add(*, actor: Person, deliverable: Deliverable, title: str, file: UploadedFile | None = None,
                 link: str = "") -> DeliverableEvidence:
    """A file (PDF or Office, checked by its first bytes before anything is written, kept in the private
    storage under a random name) or a link. A file stored for a row that then fails is deleted again."""
    require(can_work_on_deliverable(actor, deliverable.owner_id, deliverable.alliance_id), ERR_DELIVERABLE_NOT_OWNER)
    if not title.strip():
        raise ValidationError({"title": [ERR_DELIVERABLE_EVIDENCE_TITLE]})
    link = (link or "").strip()
    if file is None and not link:
        raise ValidationError({"file": [ERR_DELIVERABLE_EVIDENCE_NONE]})
    if file is not None and link:
        raise ValidationError({"link": [ERR_DELIVERABLE_EVIDENCE_BOTH]})
    evidence = DeliverableEvidence(deliverable=deliverable, title=title.strip()[:200], link=link, added_by=actor)
    if file is None:
        save_with_reason(evidence, actor, "Link added")
        return evidence
    evidence.content_type = document_content_type(file, type_error=ERR_DELIVERABLE_EVIDENCE_TYPE)
    evidence.file.save(f"{secrets.token_hex(16)}{_EXTENSIONS[evidence.content_type]}", file, save=False)
    try:
        with transaction.atomic():
            save_with_reason(evidence, actor, "File added")
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    # As with CVs: if an outer transaction rolls back later, the file is orphaned but private, unnamed (a
    # random token) and pointed at by no row.
    return evidence


def evidence_open(*, actor: Person, evidence: DeliverableEvidence) -> File:
    """The evidence file, for a member of its alliance (the view serves it as an attachment)."""
    require(can_view_mobilisation(actor, evidence.deliverable.alliance_id), ERR_DELIVERABLE_NOT_OWNER)
    return evidence.file.open("rb")


# --- The plan: review and baseline (paras 213-214) -------------------------------------------------------
def _partner_writers(alliance: Alliance) -> list[Person]:
    people: list[Person] = []
    for organisation in Organisation.objects.filter(alliance=alliance, kind=OrganisationKind.PARTNER):
        people.extend(nominators_of(organisation.pk))
    return people


@transaction.atomic
def mobilisation_plan_send(*, actor: Person, alliance: Alliance) -> MobilisationPlan:
    """The Alliance Manager sends the draft plan to the partners for review (paras 213-214)."""
    require(is_alliance_manager(actor, alliance.pk), ERR_MOBILISATION_PLAN_NOT_AM)
    plan = _lock_plan(alliance)
    step(plan, MOBILISATION_PLAN_STEPS, ERR_MOBILISATION_PLAN_SENT, "send", "sent")
    plan.sent_for_review_at = timezone.now()
    save_with_reason(plan, actor, "Sent to the partners for review (para 214)")
    alliance_services.notification_send(
        recipients=_partner_writers(alliance), title="The mobilisation plan is ready for your review (para 214)",
        link=reverse("mobilisation-plan"))
    return plan


@transaction.atomic
def mobilisation_plan_review(*, actor: Person, alliance: Alliance, verdict: str, comments: str = "") -> PlanReview:
    """A partner's people approve the plan or comment on it; one review per partner, changeable until the
    baseline (the plan row is locked so a review cannot land after it)."""
    require(can_review_plan(actor, alliance.pk), ERR_MOBILISATION_PLAN_NOT_PARTNER)
    organisation = cast("Organisation", actor.organisation)  # can_review_plan: a partner's person, so never None
    if verdict not in PlanReviewVerdict.values:
        raise ValidationError({"verdict": [ERR_DELIVERABLE_UNKNOWN.format(what="verdict", value=verdict)]})
    if verdict == PlanReviewVerdict.COMMENTED and not comments.strip():
        raise ValidationError({"comments": [ERR_MOBILISATION_PLAN_COMMENTS]})
    plan = _lock_plan(alliance)
    step(plan, MOBILISATION_PLAN_STEPS, ERR_MOBILISATION_PLAN_NOT_IN_REVIEW, "review", "reviewed")
    review = PlanReview.objects.filter(plan=plan, organisation_id=organisation.pk).first() or PlanReview(
        plan=plan, organisation_id=organisation.pk)
    review.verdict, review.comments, review.reviewed_by = verdict, comments.strip(), actor
    save_with_reason(review, actor, f"{organisation.name}: {PlanReviewVerdict(verdict).label}")
    manager = alliance_manager(alliance.pk)
    if manager is not None:
        alliance_services.notification_send(
            recipients=[manager], body=comments.strip(), link=reverse("mobilisation-plan"),
            title=f"{organisation.name} reviewed the mobilisation plan: {PlanReviewVerdict(verdict).label}")
    return review


def plan_partners_not_approved(plan: MobilisationPlan) -> list[Organisation]:
    approved = PlanReview.objects.filter(plan=plan, verdict=PlanReviewVerdict.APPROVED).values("organisation_id")
    return list(Organisation.objects.filter(alliance_id=plan.alliance_id, kind=OrganisationKind.PARTNER)
                .exclude(pk__in=approved).order_by("name"))


@transaction.atomic
def mobilisation_plan_baseline(*, actor: Person, alliance: Alliance) -> MobilisationPlan:
    """Once every partner has approved (para 214), the Alliance Manager baselines the plan: each deliverable
    keeps its current due date as its baseline; a refusal names the partners who have not approved."""
    require(is_alliance_manager(actor, alliance.pk), ERR_MOBILISATION_PLAN_NOT_AM)
    plan = _lock_plan(alliance)
    if plan.status == MobilisationPlanStatus.BASELINED:
        raise ValidationError(ERR_MOBILISATION_PLAN_BASELINED)
    step(plan, MOBILISATION_PLAN_STEPS, ERR_MOBILISATION_PLAN_NOT_IN_REVIEW, "baseline", "baselined")
    missing = plan_partners_not_approved(plan)
    if missing:
        raise ValidationError(ERR_MOBILISATION_PLAN_NOT_APPROVED.format(partners=", ".join(o.name for o in missing)))
    plan.baselined_at, plan.baselined_by = timezone.now(), actor
    save_with_reason(plan, actor, "Baselined by the Alliance Manager (para 214)")
    deliverables = list(Deliverable.objects.select_for_update().filter(alliance=alliance))
    for deliverable in deliverables:
        deliverable.baseline_due_on = deliverable.due_on
    bulk_update_with_history(deliverables, Deliverable, ["baseline_due_on"], batch_size=1_000, default_user=actor,
                             default_change_reason="Plan baselined (para 214)")
    return plan
