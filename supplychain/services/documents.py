"""Writes of the strategy documents of section 7: the Supply Chain Strategy (paras 108-116), the Alliance
industrial plan (para 117) and the Collaborative Procurement Hub plan (paras 129-130).

Each kind is a series of versions; one version of a kind is in progress at a time:
1. the Alliance Supply Chain team drafts the strategy and the industrial plan (paras 113, 116-117); only the
   Alliance Manager drafts the procurement hub plan (para 130). A new version starts as a copy of the latest;
2. the drafter edits its sections (one per item of its catalogue in supplychain/checklists.py) and its five-year
   horizon (para 112), then submits it: every section filled, a Board decision of the kind's Decision Matrix type
   is tabled with the document as its subject;
3. the Board's approval sends the strategy and the industrial plan to the client (para 113), with 28 days for
   the SRO to accept; the procurement hub plan is accepted by the Board itself (para 130). A rejection returns it;
4. the client (the SRO) accepts or returns it with comments. Acceptance supersedes the previous accepted version,
   meets the kind's six-month clock (paras 108, 117, 130) and the previous version's annual refresh, and opens the
   next annual refresh, due 12 months later (para 112).
The table is ``DOCUMENT_STEPS``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alliance import services as alliance_services
from alliance.dates import add_months, local_today
from alliance.models import Alliance, ObligationKind
from alliance.permissions import alliance_id_of
from alliance.workflow import save_with_reason, step
from governance.models import Decision
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.tabling import put_to_board
from supplychain.checklists import INDUSTRIAL_PLAN_SECTIONS, PROCUREMENT_HUB_SECTIONS, STRATEGY_SECTIONS
from supplychain.models import DocumentKind, DocumentStatus, StrategyDocument
from supplychain.permissions import (
    require_client_decider,
    require_document_drafter,
)
from supplychain.selectors import documents as selectors

if TYPE_CHECKING:
    from alliance.models import Person

ERR_DOCUMENT_OTHER_ALLIANCE = "That document belongs to another alliance."
ERR_DOCUMENT_KIND = "Unknown kind of strategy document."
ERR_DOCUMENT_IN_PROGRESS = "Version {version} of the {kind} is {status}: finish it before starting another."
ERR_DOCUMENT_EMPTY_SECTIONS = "Every section must be filled before it goes to the Board. Still empty: {sections}."
ERR_DOCUMENT_STEP = "This version is {status}: it cannot be {action}."
ERR_DOCUMENT_COMMENTS = "Say why, for the Alliance Supply Chain team: comments are required (para 113)."
ERR_DOCUMENT_HORIZON = "Enter the first year of the five-year horizon as a year between 2000 and 2100 (para 112)."
ERR_DOCUMENT_TITLE = "Enter the document's title."

HORIZON_YEARS = 5  # para 112: a five-year time horizon
REFRESH_MONTHS = 12  # para 112: annual strategic refreshments
CLIENT_ACCEPTANCE_DAYS = 28  # our choice: para 113 sets no period for the client's acceptance

DOCUMENT_SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    DocumentKind.STRATEGY: STRATEGY_SECTIONS,
    DocumentKind.INDUSTRIAL_PLAN: INDUSTRIAL_PLAN_SECTIONS,
    DocumentKind.PROCUREMENT_HUB_PLAN: PROCUREMENT_HUB_SECTIONS,
}
DOCUMENT_DECISION_CODES: dict[str, str] = {
    DocumentKind.STRATEGY: "supply-chain-strategy",  # para 113
    DocumentKind.INDUSTRIAL_PLAN: "industrial-plan",  # para 117
    DocumentKind.PROCUREMENT_HUB_PLAN: "procurement-hub-plan",  # para 130
}
DOCUMENT_PARAGRAPHS: dict[str, str] = {
    DocumentKind.STRATEGY: "paras 108-113",
    DocumentKind.INDUSTRIAL_PLAN: "para 117",
    DocumentKind.PROCUREMENT_HUB_PLAN: "para 130",
}
# The six-month clock each kind meets when a version is accepted.
_DEADLINE_KINDS: dict[str, str] = {
    DocumentKind.STRATEGY: ObligationKind.SUPPLY_CHAIN_STRATEGY,
    DocumentKind.INDUSTRIAL_PLAN: ObligationKind.INDUSTRIAL_PLAN,
    DocumentKind.PROCUREMENT_HUB_PLAN: ObligationKind.PROCUREMENT_HUB_PLAN,
}
# Approved by the Board, then recommended to the client for acceptance (paras 113, 117); the procurement hub plan
# is submitted to the Board "for acceptance" (para 130), so the Board's approval accepts it. These two are also
# refreshed every year (para 112; the industrial plan is part of the strategy's economic growth plan, para 125).
CLIENT_KINDS = frozenset({DocumentKind.STRATEGY, DocumentKind.INDUSTRIAL_PLAN})
_IN_PROGRESS = (DocumentStatus.DRAFT, DocumentStatus.WITH_BOARD, DocumentStatus.WITH_CLIENT)

DOCUMENT_STEPS: dict[str, tuple[set[str], str]] = {
    "edit": ({DocumentStatus.DRAFT}, DocumentStatus.DRAFT),
    "submit": ({DocumentStatus.DRAFT}, DocumentStatus.WITH_BOARD),
    "board_recommends": ({DocumentStatus.WITH_BOARD}, DocumentStatus.WITH_CLIENT),
    "board_accepts": ({DocumentStatus.WITH_BOARD}, DocumentStatus.ACCEPTED),
    "board_rejects": ({DocumentStatus.WITH_BOARD}, DocumentStatus.RETURNED),
    "client_accepts": ({DocumentStatus.WITH_CLIENT}, DocumentStatus.ACCEPTED),
    "client_returns": ({DocumentStatus.WITH_CLIENT}, DocumentStatus.RETURNED),
    "supersede": ({DocumentStatus.ACCEPTED}, DocumentStatus.SUPERSEDED),
}


def _link(document: StrategyDocument) -> str:
    return reverse("supplychain-document", args=[document.pk])


def _locked(document: StrategyDocument) -> StrategyDocument:
    return StrategyDocument.objects.select_for_update(of=("self",)).select_related("alliance").get(pk=document.pk)


def _shown(document: StrategyDocument) -> str:
    shown = document.get_status_display()
    return shown[0].lower() + shown[1:]


def _notify_drafters(document: StrategyDocument, title: str) -> None:
    alliance_services.notification_send(recipients=selectors.document_drafters(document.alliance_id, document.kind),
                                        title=title, link=_link(document))


@transaction.atomic
def document_draft(*, actor: Person, alliance: Alliance, kind: str) -> StrategyDocument:
    """Start the next version of a kind, as a copy of the latest; one version of a kind is in progress at a time."""
    if kind not in DOCUMENT_SECTIONS:
        raise ValidationError({"kind": [ERR_DOCUMENT_KIND]})
    require_document_drafter(actor, kind, alliance.pk)
    # Lock the alliance row: two drafters starting a version at once would both see no draft and both number
    # theirs latest + 1 (the unique version constraint would then fail one of them with a server error).
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
    latest = selectors.document_latest(alliance.pk, kind)
    if latest is not None and latest.status in _IN_PROGRESS:
        raise ValidationError(ERR_DOCUMENT_IN_PROGRESS.format(
            version=latest.version, kind=latest.get_kind_display(), status=_shown(latest)))
    if latest is None:
        year = local_today().year
        document = StrategyDocument(alliance=alliance, kind=kind, version=1, title=DocumentKind(kind).label,
                                    horizon_from=year, horizon_to=year + HORIZON_YEARS - 1, sections={})
    else:
        document = StrategyDocument(alliance=alliance, kind=kind, version=latest.version + 1, title=latest.title,
                                    horizon_from=latest.horizon_from, horizon_to=latest.horizon_to,
                                    sections=dict(latest.sections))
    document.drafted_by = actor
    save_with_reason(document, actor, f"Version {document.version} started")
    return document


@transaction.atomic
def document_edit(*, actor: Person, document: StrategyDocument, title: str, horizon_from: int,
                  sections: dict[str, str]) -> StrategyDocument:
    """Save a draft's title, horizon (five years from ``horizon_from``, para 112) and sections. Sections not in
    the kind's catalogue are ignored; a section left out keeps its text."""
    document = _locked(document)
    require_document_drafter(actor, document.kind, document.alliance_id)
    step(document, DOCUMENT_STEPS, ERR_DOCUMENT_STEP, "edit", "changed")
    if not title.strip():
        raise ValidationError({"title": [ERR_DOCUMENT_TITLE]})
    if not isinstance(horizon_from, int) or not 2000 <= horizon_from <= 2100:
        raise ValidationError({"horizon_from": [ERR_DOCUMENT_HORIZON]})
    document.title = title.strip()
    document.horizon_from = horizon_from
    document.horizon_to = horizon_from + HORIZON_YEARS - 1
    known = {code for code, _heading, _para in DOCUMENT_SECTIONS[document.kind]}
    document.sections = {**document.sections,
                         **{code: (text or "").strip() for code, text in sections.items() if code in known}}
    save_with_reason(document, actor, "Draft saved")
    return document


def _empty_sections(document: StrategyDocument) -> list[str]:
    return [heading for code, heading, _para in DOCUMENT_SECTIONS[document.kind]
            if not str(document.sections.get(code) or "").strip()]


@transaction.atomic
def document_submit(*, actor: Person, document: StrategyDocument, closes_on: dt.date | None = None) -> Decision:
    """Send a complete draft to the Board: a written resolution of the kind's Decision Matrix type (paras 113,
    117, 130) with the document as its subject."""
    document = _locked(document)
    require_document_drafter(actor, document.kind, document.alliance_id)
    step(document, DOCUMENT_STEPS, ERR_DOCUMENT_STEP, "submit", "submitted")
    empty = _empty_sections(document)
    if empty:
        raise ValidationError(ERR_DOCUMENT_EMPTY_SECTIONS.format(sections="; ".join(empty)))
    then = ("then recommended to the client for acceptance (para 113)" if document.kind in CLIENT_KINDS
            else "submitted by the Alliance Manager for the Board's acceptance (para 130)")
    document.decision = put_to_board(
        actor=actor, subject=document, code=DOCUMENT_DECISION_CODES[document.kind],
        title=f"{document.get_kind_display()}, version {document.version} ({document.horizon_from}-{document.horizon_to})",
        description=f"{document.title}: for the Board's approval, {then}. The document: {_link(document)}",
        closes_on=closes_on,
    )
    document.submitted_at = timezone.now()
    document.comments = ""
    save_with_reason(document, actor, f"Submitted to the Board ({DOCUMENT_PARAGRAPHS[document.kind]})")
    return document.decision


def _accept(document: StrategyDocument, actor: Person | None, reason: str) -> None:
    """Accepted: the previous accepted version is superseded, the kind's clocks are met and, for the strategy and
    the industrial plan, the next annual refresh opens (para 112)."""
    today = local_today()
    document.accepted_on = today
    save_with_reason(document, actor, reason)
    for previous in (StrategyDocument.objects.select_for_update()
                     .filter(alliance_id=document.alliance_id, kind=document.kind, status=DocumentStatus.ACCEPTED)
                     .exclude(pk=document.pk)):
        step(previous, DOCUMENT_STEPS, ERR_DOCUMENT_STEP, "supersede", "superseded")
        save_with_reason(previous, actor, f"Superseded by version {document.version}")
    label = document.get_kind_display()
    for obligation in selectors.document_open_clocks(document.alliance_id, _DEADLINE_KINDS[document.kind],
                                                     document.kind):
        alliance_services.obligation_meet(actor=actor, obligation=obligation, on=max(today, obligation.start_date),
                                          reason=f"{label} version {document.version} accepted", by_workflow=True)
    if document.kind in CLIENT_KINDS:
        alliance_services.obligation_open(
            actor=actor, alliance=document.alliance, kind=ObligationKind.STRATEGY_REFRESH,
            title=f"Annual refresh of the {label}", paragraph="para 112", start_date=today,
            due_date=add_months(today, REFRESH_MONTHS), subject=document,
            # The Alliance Manager leads the supply chain team's refresh (para 116).
            responsible_person=selectors.document_alliance_manager(document.alliance_id),
        )


def _on_outcome(document: StrategyDocument, decision: Decision) -> None:
    """The Board decided on a version: recommend it to the client, accept it, or return it."""
    actor = decision.closed_by
    label = f"{document.get_kind_display()} version {document.version}"
    if decision.outcome != Outcome.APPROVED:
        step(document, DOCUMENT_STEPS, ERR_DOCUMENT_STEP, "board_rejects", "returned")
        document.comments = (f"Not approved by the Board ({decision.get_outcome_display().lower()}). "
                             "Start a new version to revise it.")
        save_with_reason(document, actor, "Returned: not approved by the Board")
        _notify_drafters(document, f"The Board did not approve the {label}")
        return
    if document.kind in CLIENT_KINDS:
        step(document, DOCUMENT_STEPS, ERR_DOCUMENT_STEP, "board_recommends", "recommended")
        save_with_reason(document, actor, "Approved by the Board and recommended to the client (para 113)")
        sro = selectors.document_sro(document.alliance_id)
        alliance_services.obligation_open(
            actor=actor, alliance=document.alliance, kind=ObligationKind.CLIENT_ACCEPTANCE,
            title=f"Accept or return the {label}", paragraph="para 113", start_date=local_today(),
            days=CLIENT_ACCEPTANCE_DAYS, subject=document,
            responsible_organisation=sro.organisation if sro else None, responsible_person=sro,
        )
        if sro is not None:
            alliance_services.notification_send(recipients=[sro], link=_link(document),
                                                title=f"The Board recommends the {label} for your acceptance")
        return
    step(document, DOCUMENT_STEPS, ERR_DOCUMENT_STEP, "board_accepts", "accepted")
    _accept(document, actor, "Accepted by the Board (para 130)")
    _notify_drafters(document, f"The Board accepted the {label}")


def _client_deciding(actor: Person, document: StrategyDocument, name: str, action: str) -> StrategyDocument:
    if document.alliance_id != alliance_id_of(actor):
        raise ValidationError(ERR_DOCUMENT_OTHER_ALLIANCE)
    require_client_decider(actor, document.alliance_id)
    document = _locked(document)
    step(document, DOCUMENT_STEPS, ERR_DOCUMENT_STEP, name, action)
    return document


@transaction.atomic
def document_accept(*, actor: Person, document: StrategyDocument) -> StrategyDocument:
    """The client accepts the version the Board recommended (para 113)."""
    document = _client_deciding(actor, document, "client_accepts", "accepted")
    _accept(document, actor, "Accepted by the client (para 113)")
    alliance_services.obligations_meet_for(actor=actor, subject=document, kind=ObligationKind.CLIENT_ACCEPTANCE,
                                           reason="Accepted by the client")
    _notify_drafters(document, f"The client accepted the {document.get_kind_display()} version {document.version}")
    return document


@transaction.atomic
def document_return(*, actor: Person, document: StrategyDocument, comments: str) -> StrategyDocument:
    """The client returns the version with comments; the team revises it in a new version."""
    if not comments.strip():
        raise ValidationError({"comments": [ERR_DOCUMENT_COMMENTS]})
    document = _client_deciding(actor, document, "client_returns", "returned")
    document.comments = comments.strip()
    save_with_reason(document, actor, "Returned by the client with comments (para 113)")
    # The client answered in time: the clock of its answer is met, whichever way it went.
    alliance_services.obligations_meet_for(actor=actor, subject=document, kind=ObligationKind.CLIENT_ACCEPTANCE,
                                           reason="Returned by the client with comments")
    _notify_drafters(document, f"The client returned the {document.get_kind_display()} version "
                               f"{document.version} with comments")
    return document


BOARD_OUTCOMES = BoardOutcomes(
    StrategyDocument, waiting=DocumentStatus.WITH_BOARD, select_related=("alliance",),
    handlers={code: _on_outcome for code in DOCUMENT_DECISION_CODES.values()},
)
