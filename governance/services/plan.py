"""Writes of the Implementation Plan: its first version, proposals to change it, their review by the Alliance
Manager, the Board's decision and the publication of a new version (paras 3-6).

A proposal's workflow (PLAN_CHANGE_TRANSITIONS, the one table):

    proposed ──AM rejects (para 4)──────────────▶ rejected_by_manager
       │    ──proposer withdraws────────────────▶ withdrawn
       └─AM accepts, tables the decision (para 5)▶ with_board ──Board rejects──▶ rejected_by_board
                                                    │ ──Board approves─▶ approved ──AM publishes (para 6)──▶ published
                                                    └─decision not taken (its meeting rearranged, para 36)──▶ proposed

Decision (ours; paras 3-6 set none of these): the Alliance Manager reviews a proposal within 28 days of it
being made, and publishes an approved one within 28 days of the Board's approval; the Board's written
resolution closes 14 days after tabling at 17:00 London time. A decision "not taken" means the Board did
not decide, so the proposal goes back to the Alliance Manager (keeping its impact assessment) to table it
again. Once with the Board a proposal cannot be withdrawn: the decision is the Board's.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alliance import selectors as alliance_selectors
from alliance import services as alliance_services
from alliance.dates import local_today
from alliance.models import Alliance, Obligation, ObligationKind
from alliance.permissions import alliance_id_of, is_alliance_member, is_partner
from alliance.workflow import move, require, save_with_reason
from governance import permissions
from governance.models.board import DecisionType, Outcome
from governance.models.plan import ChangeProposal, ChangeProposalStatus, PlanSection, PlanVersion
from governance.outcomes import BoardOutcomes
from governance.selectors import plan as plan_selectors
from governance.tabling import put_to_board

if TYPE_CHECKING:
    from collections.abc import Iterable

    from alliance.models import Person
    from governance.models.board import Decision

# Error texts (tests assert on them).
ERR_PLAN_NOT_MEMBER = "Only members of the alliance can propose changes to the Implementation Plan (para 3)."
ERR_PLAN_NOT_MANAGER = "Only the Alliance Manager can do that (paras 4-6)."
ERR_PLAN_NOT_PROPOSER = "Only the person who proposed the change can withdraw it."
ERR_PLAN_OTHER_ALLIANCE = "That belongs to another alliance."
ERR_PLAN_STATE = "This proposal is {status}: it cannot be {action}."
ERR_PLAN_CLIENT_RESERVED = (
    "Section {number} is a client reserved matter under the conditions of contract: "
    "only the client can propose a change to it (para 3)."
)
ERR_PLAN_NO_VERSION = "The Implementation Plan has not been published yet: there is nothing to change."
ERR_PLAN_ALREADY_PUBLISHED = (
    "The Implementation Plan already has a published version: change it through proposals (paras 3-6)."
)
ERR_PLAN_SECTION_NUMBER = 'A section number is made of numbers separated by full stops, for example "2.4".'
ERR_PLAN_NO_CHANGE = "The proposed text and heading are the same as the current section's: there is nothing to change."
ERR_PLAN_EMPTY_FIELD = "Enter the {field}."
ERR_PLAN_ASSESSMENT_REQUIRED = "Enter the impact assessment: the Alliance Manager accepts a proposal following one (para 4)."
ERR_PLAN_REJECT_REASON_REQUIRED = "Enter why the proposal is rejected: the outcome of the impact assessment (para 4)."
ERR_PLAN_NO_DECISION_TYPE = (
    'The Decision Matrix has no active "Implementation Plan update" decision type: the Board cannot be asked (para 5).'
)
ERR_PLAN_NOTHING_TO_PUBLISH = "Choose at least one change the Board has approved (para 6)."
ERR_PLAN_SAME_SECTION_TWICE = "Two of the chosen changes are to section {number}: publish them in separate versions."
ERR_PLAN_NO_SECTIONS = "The Implementation Plan needs at least one section."
ERR_PLAN_DUPLICATE_SECTION = "Section {number} appears twice."

# One table: from each status, the statuses a proposal may move to.
PLAN_CHANGE_TRANSITIONS: dict[str, set[str]] = {
    ChangeProposalStatus.PROPOSED: {
        ChangeProposalStatus.REJECTED_BY_MANAGER,  # para 4
        ChangeProposalStatus.WITH_BOARD,  # paras 4-5
        ChangeProposalStatus.WITHDRAWN,
    },
    ChangeProposalStatus.WITH_BOARD: {
        ChangeProposalStatus.APPROVED,  # para 5
        ChangeProposalStatus.REJECTED_BY_BOARD,
        ChangeProposalStatus.PROPOSED,  # the decision was not taken: back to the Alliance Manager
    },
    ChangeProposalStatus.APPROVED: {ChangeProposalStatus.PUBLISHED},  # para 6
    ChangeProposalStatus.REJECTED_BY_MANAGER: set(),
    ChangeProposalStatus.REJECTED_BY_BOARD: set(),
    ChangeProposalStatus.PUBLISHED: set(),
    ChangeProposalStatus.WITHDRAWN: set(),
}

PLAN_CHANGE_DECISION_CODE = "implementation-plan-update"  # the Decision Matrix row (para 5)
PLAN_REVIEW_DAYS = 28  # our choice: paras 3-6 set no period for the Alliance Manager's review
PLAN_PUBLISH_DAYS = 28  # our choice: para 6 sets no period for publishing an approved change

SECTION_NUMBER = re.compile(r"^\d+(\.\d+)*$")  # also the API's pattern (governance.api.plan)


def _same_alliance(actor: Person, alliance_id: int) -> None:
    require(alliance_id_of(actor) == alliance_id, ERR_PLAN_OTHER_ALLIANCE)


_WHERE: dict[str, str] = {
    ChangeProposalStatus.PROPOSED: "with the Alliance Manager",
    ChangeProposalStatus.REJECTED_BY_MANAGER: "rejected by the Alliance Manager",
    ChangeProposalStatus.WITH_BOARD: "with the Board",
    ChangeProposalStatus.REJECTED_BY_BOARD: "rejected by the Board",
    ChangeProposalStatus.APPROVED: "approved by the Board",
    ChangeProposalStatus.PUBLISHED: "published",
    ChangeProposalStatus.WITHDRAWN: "withdrawn",
}


def _locked(proposal: ChangeProposal) -> ChangeProposal:
    """Re-read the proposal under a row lock: two people acting on it at once (the Alliance Manager reviewing
    while the proposer withdraws, or the Board's outcome landing) must not both succeed."""
    return ChangeProposal.objects.select_for_update().get(pk=proposal.pk)


def _lock_alliance(alliance: Alliance) -> None:
    """Publishing reads the latest version number and writes the next: two publishers at once would both
    read N and collide on N+1. Locking the alliance row serialises publication per alliance."""
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()


def _open_review_obligation(proposal: ChangeProposal, actor: Person | None) -> Obligation:
    """The Alliance Manager reviews the proposal (para 4) within PLAN_REVIEW_DAYS."""
    manager = alliance_selectors.alliance_manager(proposal.alliance_id)
    return alliance_services.obligation_open(
        actor=actor, alliance=proposal.alliance, kind=ObligationKind.PLAN_CHANGE_REVIEW,
        title=f"Review the proposed change to Implementation Plan section {proposal.section_number}",
        start_date=local_today(), days=PLAN_REVIEW_DAYS, paragraph="para 4", subject=proposal,
        responsible_person=manager, responsible_organisation=manager.organisation if manager else None,
        by_workflow=True,
    )


def _check_section_number(number: str, field: str = "section_number") -> str:
    number = (number or "").strip()
    if not SECTION_NUMBER.match(number):
        raise ValidationError({field: [ERR_PLAN_SECTION_NUMBER]})
    return number


def _check_filled(**values: str) -> None:
    errors = {name: [ERR_PLAN_EMPTY_FIELD.format(field=name.replace("_", " "))]
              for name, value in values.items() if not (value or "").strip()}
    if errors:
        raise ValidationError(errors)


# --- The first version ----------------------------------------------------------------------------------


@transaction.atomic
def plan_publish_initial(
    *, actor: Person, alliance: Alliance, sections: Iterable[dict], note: str = "",
) -> PlanVersion:
    """Publish version 1 from numbered sections, each ``{"number", "heading", "text", "client_reserved"}``.

    During mobilisation the Alliance Manager agrees the plan with every member (para 1) and publishes it;
    every later version comes from approved proposals (paras 3-6).
    """
    require(permissions.is_alliance_manager(actor), ERR_PLAN_NOT_MANAGER)
    _same_alliance(actor, alliance.pk)
    _lock_alliance(alliance)
    if PlanVersion.objects.filter(alliance=alliance).exists():
        raise ValidationError(ERR_PLAN_ALREADY_PUBLISHED)
    rows = list(sections)
    if not rows:
        raise ValidationError({"sections": [ERR_PLAN_NO_SECTIONS]})
    seen: set[str] = set()
    for row in rows:
        number = _check_section_number(row.get("number", ""), "sections")
        if number in seen:
            raise ValidationError({"sections": [ERR_PLAN_DUPLICATE_SECTION.format(number=number)]})
        seen.add(number)
        if not (row.get("heading") or "").strip():
            raise ValidationError({"sections": [f"Enter the heading of section {number}."]})
    version = PlanVersion.objects.create(
        alliance=alliance, number=1, published_at=timezone.now(), published_by=actor,
        note=note.strip() or "The Implementation Plan agreed during mobilisation (para 1).",
    )
    PlanSection.objects.bulk_create([
        PlanSection(version=version, number=row["number"].strip(), heading=row["heading"].strip(),
                    text=(row.get("text") or "").strip(), order=position,
                    client_reserved=bool(row.get("client_reserved")))
        for position, row in enumerate(rows, start=1)
    ])
    return version


# --- Proposals ------------------------------------------------------------------------------------------


@transaction.atomic
def plan_change_propose(
    *, actor: Person, alliance: Alliance, section_number: str, section_heading: str, proposed_text: str, reason: str,
) -> ChangeProposal:
    """Any member proposes a change to one section, or a new section (para 3); the Alliance Manager is
    asked to review it. A partner cannot propose a change to a client reserved matter (para 3)."""
    require(is_alliance_member(actor, alliance.pk), ERR_PLAN_NOT_MEMBER)
    number = _check_section_number(section_number)
    _check_filled(section_heading=section_heading, proposed_text=proposed_text, reason=reason)
    current = plan_selectors.plan_current_version(alliance.pk)
    if current is None:
        raise ValidationError(ERR_PLAN_NO_VERSION)
    section = current.sections.filter(number=number).first()
    heading, text = section_heading.strip(), proposed_text.strip()
    if section is not None:
        if section.client_reserved and is_partner(actor):
            raise ValidationError({"section_number": [ERR_PLAN_CLIENT_RESERVED.format(number=number)]})  # para 3
        if section.heading == heading and section.text.strip() == text:
            raise ValidationError({"proposed_text": [ERR_PLAN_NO_CHANGE]})
    proposal = ChangeProposal(
        alliance=alliance, base_version=current, section_number=number, section_heading=heading,
        proposed_text=text, reason=reason.strip(), proposed_by=actor, organisation=actor.organisation,
        status=ChangeProposalStatus.PROPOSED,
    )
    save_with_reason(proposal, actor, "Proposed (para 3)")
    _open_review_obligation(proposal, actor)
    return proposal


@transaction.atomic
def plan_change_withdraw(*, actor: Person, proposal: ChangeProposal) -> ChangeProposal:
    """The proposer withdraws the proposal while it is still with the Alliance Manager."""
    _same_alliance(actor, proposal.alliance_id)
    proposal = _locked(proposal)
    require(proposal.proposed_by_id == actor.pk, ERR_PLAN_NOT_PROPOSER)
    move(proposal, PLAN_CHANGE_TRANSITIONS, ChangeProposalStatus.WITHDRAWN, ERR_PLAN_STATE, "withdrawn", status=_WHERE[proposal.status])
    save_with_reason(proposal, actor, "Withdrawn by the proposer")
    alliance_services.obligations_cancel_for(actor=actor, subject=proposal, kind=ObligationKind.PLAN_CHANGE_REVIEW,
                                           reason="The proposal was withdrawn")
    return proposal


@transaction.atomic
def plan_change_review(
    *, actor: Person, proposal: ChangeProposal, accept: bool, impact_assessment: str,
    closes_at: dt.datetime | None = None,
) -> ChangeProposal:
    """The Alliance Manager accepts or rejects the proposal following an impact assessment (para 4); an
    accepted one goes to the Board with the assessment's outcome for final approval (para 5)."""
    require(permissions.is_alliance_manager(actor), ERR_PLAN_NOT_MANAGER)
    _same_alliance(actor, proposal.alliance_id)
    proposal = _locked(proposal)
    to = ChangeProposalStatus.WITH_BOARD if accept else ChangeProposalStatus.REJECTED_BY_MANAGER
    move(proposal, PLAN_CHANGE_TRANSITIONS, to, ERR_PLAN_STATE, "reviewed", status=_WHERE[proposal.status])
    if not (impact_assessment or "").strip():
        message = ERR_PLAN_ASSESSMENT_REQUIRED if accept else ERR_PLAN_REJECT_REASON_REQUIRED
        raise ValidationError({"impact_assessment": [message]})
    proposal.impact_assessment = impact_assessment.strip()
    proposal.reviewed_at, proposal.reviewed_by = timezone.now(), actor
    if accept:
        if not DecisionType.objects.filter(
            alliance_id=proposal.alliance_id, code=PLAN_CHANGE_DECISION_CODE, is_active=True
        ).exists():
            raise ValidationError(ERR_PLAN_NO_DECISION_TYPE)
        proposal.decision = put_to_board(
            actor=actor, subject=proposal, code=PLAN_CHANGE_DECISION_CODE,
            title=f"Implementation Plan update: {proposal.section_number} {proposal.section_heading}",
            description=(
                f"Proposed by {proposal.proposed_by} ({proposal.organisation}).\n\n"
                f"Reason: {proposal.reason}\n\n"
                f"The Alliance Manager's impact assessment (para 4): {proposal.impact_assessment}\n\n"
                f"Proposed text of section {proposal.section_number}:\n{proposal.proposed_text}"
            ),
            closes_at=closes_at,
        )
    save_with_reason(proposal, actor, "Accepted and taken to the Board (paras 4-5)" if accept else "Rejected (para 4)")
    alliance_services.obligations_meet_for(actor=actor, subject=proposal, kind=ObligationKind.PLAN_CHANGE_REVIEW,
                                         reason="Reviewed by the Alliance Manager")
    return proposal


def _on_board_outcome(proposal: ChangeProposal, decision: Decision) -> None:
    """The Board's decision on a proposal closed (para 5); runs inside the closing transaction, with the
    proposal locked and still waiting on this decision (governance/outcomes.py)."""
    actor = decision.closed_by
    if decision.outcome == Outcome.APPROVED:
        move(proposal, PLAN_CHANGE_TRANSITIONS, ChangeProposalStatus.APPROVED, ERR_PLAN_STATE, "approved", status=_WHERE[proposal.status])
        save_with_reason(proposal, actor, "Approved by the Board (para 5)")
        manager = alliance_selectors.alliance_manager(proposal.alliance_id)
        alliance_services.obligation_open(
            actor=actor, alliance=proposal.alliance, kind=ObligationKind.PLAN_CHANGE_REVIEW,
            title=f"Publish the approved change to Implementation Plan section {proposal.section_number}",
            start_date=local_today(), days=PLAN_PUBLISH_DAYS, paragraph="para 6", subject=proposal,
            responsible_person=manager, responsible_organisation=manager.organisation if manager else None,
            by_workflow=True,
        )
    elif decision.outcome == Outcome.REJECTED:
        move(proposal, PLAN_CHANGE_TRANSITIONS, ChangeProposalStatus.REJECTED_BY_BOARD, ERR_PLAN_STATE, "rejected", status=_WHERE[proposal.status])
        save_with_reason(proposal, actor, "Rejected by the Board (para 5)")
    else:
        # Not taken (e.g. its meeting was rearranged, para 36): the Board has not decided; the Alliance
        # Manager takes it to the Board again, keeping the impact assessment.
        move(proposal, PLAN_CHANGE_TRANSITIONS, ChangeProposalStatus.PROPOSED, ERR_PLAN_STATE, "returned to the Alliance Manager", status=_WHERE[proposal.status])
        save_with_reason(proposal, actor, "The Board's decision was not taken: back with the Alliance Manager")
        _open_review_obligation(proposal, actor)


# What the Board's decisions on proposals do (registered in governance/apps.py).
BOARD_OUTCOMES = BoardOutcomes(
    ChangeProposal, waiting=ChangeProposalStatus.WITH_BOARD, handlers={PLAN_CHANGE_DECISION_CODE: _on_board_outcome},
)


# --- Publishing a new version ---------------------------------------------------------------------------


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


@transaction.atomic
def plan_version_publish(
    *, actor: Person, alliance: Alliance, proposals: Iterable[ChangeProposal], note: str = "",
) -> PlanVersion:
    """The Alliance Manager publishes a new version with the Board-approved changes applied (para 6).

    Every section of the current version is copied, changed or not, so any two versions compare section by
    section; several approved changes may be published together.
    """
    require(permissions.is_alliance_manager(actor), ERR_PLAN_NOT_MANAGER)
    _same_alliance(actor, alliance.pk)
    _lock_alliance(alliance)
    ids = {p.pk for p in proposals}
    if not ids:
        raise ValidationError({"proposals": [ERR_PLAN_NOTHING_TO_PUBLISH]})
    # Locked so that none is published twice by two Alliance Manager sessions at once.
    locked = list(ChangeProposal.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids) or any(p.alliance_id != alliance.pk for p in locked):
        raise PermissionDenied(ERR_PLAN_OTHER_ALLIANCE)
    by_number: dict[str, ChangeProposal] = {}
    for proposal in locked:
        move(proposal, PLAN_CHANGE_TRANSITIONS, ChangeProposalStatus.PUBLISHED, ERR_PLAN_STATE, "published", status=_WHERE[proposal.status])
        if proposal.section_number in by_number:
            raise ValidationError({"proposals": [ERR_PLAN_SAME_SECTION_TWICE.format(number=proposal.section_number)]})
        by_number[proposal.section_number] = proposal
    current = plan_selectors.plan_current_version(alliance.pk)
    if current is None:
        raise ValidationError(ERR_PLAN_NO_VERSION)
    sections: list[dict[str, Any]] = [
        {"number": s.number, "heading": s.heading, "text": s.text, "client_reserved": s.client_reserved}
        for s in current.sections.order_by("order")
    ]
    for row in sections:
        change = by_number.pop(row["number"], None)
        if change is not None:
            row["heading"], row["text"] = change.section_heading, change.proposed_text
    for number, change in sorted(by_number.items(), key=lambda item: _number_key(item[0])):
        # A new section goes before the first section numbered after it.
        position = next((i for i, row in enumerate(sections) if _number_key(row["number"]) > _number_key(number)),
                        len(sections))
        sections.insert(position, {"number": number, "heading": change.section_heading, "text": change.proposed_text,
                                   "client_reserved": False})
    changed = ", ".join(f"{p.section_number} {p.section_heading}" for p in locked)
    version = PlanVersion.objects.create(
        alliance=alliance, number=current.number + 1, published_at=timezone.now(), published_by=actor,
        note=note.strip() or f"Changes approved by the Board: {changed}.",
    )
    PlanSection.objects.bulk_create([
        PlanSection(version=version, order=position, **row) for position, row in enumerate(sections, start=1)
    ])
    for proposal in locked:
        proposal.published_in = version
        save_with_reason(proposal, actor, f"Published in version {version.number} (para 6)")
        alliance_services.obligations_meet_for(actor=actor, subject=proposal, kind=ObligationKind.PLAN_CHANGE_REVIEW,
                                         reason=f"Published in version {version.number}")
    return version
