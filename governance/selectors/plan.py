"""Reads of the Implementation Plan: versions, sections, proposals, and the comparison of two versions."""

from __future__ import annotations

import difflib
import re
from typing import cast

from django.db.models import Count, QuerySet
from django.http import Http404

from alliance.models import Person
from alliance.permissions import alliance_id_of, is_alliance_member
from governance.models.plan import ChangeProposal, ChangeProposalStatus, PlanSection, PlanVersion

_TOKENS = re.compile(r"\s+|\S+")


def plan_current_version(alliance_id: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(alliance_id=alliance_id).order_by("-number").first()


def plan_versions(alliance_id: int) -> QuerySet[PlanVersion]:
    return (PlanVersion.objects.filter(alliance_id=alliance_id).select_related("published_by")
            .annotate(section_count=Count("sections")).order_by("-number"))


def plan_version_for(user: Person, number: int) -> PlanVersion:
    """A version of the user's alliance's plan, else 404."""
    alliance_id = alliance_id_of(user)
    version = PlanVersion.objects.filter(alliance_id=alliance_id, number=number).select_related(
        "published_by").first() if alliance_id is not None else None
    if version is None:
        raise Http404("No such version of the Implementation Plan.")
    return version


def plan_sections(version: PlanVersion) -> list[PlanSection]:
    return list(version.sections.order_by("order"))


def plan_section(version: PlanVersion | None, number: str) -> PlanSection | None:
    if version is None or not number:
        return None
    return version.sections.filter(number=number).first()


def plan_proposals_visible_to(user: Person, *, status: str | None = None) -> QuerySet[ChangeProposal]:
    """Every member sees every proposal of their alliance: the plan is agreed by all of them (para 1)."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None or not is_alliance_member(user):
        return ChangeProposal.objects.none()
    qs = ChangeProposal.objects.filter(alliance_id=alliance_id).select_related(
        "proposed_by", "organisation", "base_version", "published_in", "decision")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-proposed_at", "-pk")


def plan_proposal_for(user: Person, pk: int) -> ChangeProposal:
    """A proposal of the user's alliance, else 404."""
    proposal = plan_proposals_visible_to(user).select_related("reviewed_by").filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def plan_proposal_timeline(proposal: ChangeProposal) -> list[dict]:
    """Each change of status, oldest first, with who made it and why (from the proposal's history)."""
    rows, last = [], None
    for record in proposal.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.status == last:
            continue
        last = record.status
        rows.append({"when": record.history_date, "status": ChangeProposalStatus(record.status).label,
                     "by": record.history_user, "note": record.history_change_reason or ""})
    return rows


def plan_approved_queryset(alliance_id: int):
    """The Board-approved changes waiting to be published, as a queryset (the publish form's choices)."""
    return ChangeProposal.objects.filter(alliance_id=alliance_id, status=ChangeProposalStatus.APPROVED)


def plan_approved_proposals(alliance_id: int) -> list[ChangeProposal]:
    """The Board-approved changes waiting to be published (para 6), each marked ``stale`` when its section
    was changed by another published version after the proposal was made (the Alliance Manager checks it)."""
    current = plan_current_version(alliance_id)
    proposals = list(plan_approved_queryset(alliance_id).select_related("base_version", "proposed_by", "organisation").order_by("proposed_at", "pk"))
    for proposal in proposals:
        base = plan_section(proposal.base_version, proposal.section_number)
        now = plan_section(current, proposal.section_number)
        proposal.stale = current is not None and proposal.base_version_id != current.pk and (
            (base.text if base else None) != (now.text if now else None))
    return proposals


# --- Comparison -----------------------------------------------------------------------------------------


def plan_text_diff(old: str, new: str) -> list[dict]:
    """Word-level difference as fragments ``{"kind": "equal" | "delete" | "insert", "text": ...}``.

    Structured, not HTML: the template escapes each fragment and wraps it in <del> or <ins>, so no user text
    is ever marked safe.
    """
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    fragments: list[dict] = []

    def add(kind: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if fragments and fragments[-1]["kind"] == kind:
            fragments[-1]["text"] += text
        else:
            fragments.append({"kind": kind, "text": text})

    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            add("equal", a[a1:a2])
        else:
            add("delete", a[a1:a2])
            add("insert", b[b1:b2])
    return fragments


def _number_key(number: str) -> tuple:
    return tuple(int(p) if p.isascii() and p.isdecimal() else 0 for p in number.split("."))


def plan_compare(version_a: PlanVersion, version_b: PlanVersion) -> list[dict]:
    """One row per section number in either version, in section order: ``status`` is added, removed,
    changed or unchanged; ``fragments`` is the word-level difference of its text from a to b."""
    old = {s.number: s for s in version_a.sections.all()}
    new = {s.number: s for s in version_b.sections.all()}
    rows = []
    for number in sorted(old.keys() | new.keys(), key=_number_key):
        a, b = old.get(number), new.get(number)
        either = cast("PlanSection", b or a)  # the number is in one version or the other
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        elif a.text == b.text and a.heading == b.heading:
            status = "unchanged"
        else:
            status = "changed"
        rows.append({
            "number": number,
            "status": status,
            "heading_a": a.heading if a else None,
            "heading_b": b.heading if b else None,
            "heading_changed": a is not None and b is not None and a.heading != b.heading,
            "client_reserved": either.client_reserved,
            "fragments": plan_text_diff(a.text if a else "", b.text if b else ""),
        })
    return rows
