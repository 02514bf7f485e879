"""Reads of Periodic Instructions for the PMP (paras 103-107)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404

from alliance.models import Obligation
from alliance.permissions import own_alliance_id
from allocation import permissions
from allocation.models import PeriodicInstruction

if TYPE_CHECKING:
    from alliance.models import Person



def periodic_instructions_of(user: Person, *, status: str | None = None) -> QuerySet[PeriodicInstruction]:
    if not permissions.can_view_allocation(user):
        return PeriodicInstruction.objects.none()
    qs = PeriodicInstruction.objects.filter(alliance_id=own_alliance_id(user)).select_related(
        "requested_by", "profile_by", "issued_by", "decision")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period_start", "-pk")


def periodic_instruction_for(user: Person, pk: int) -> PeriodicInstruction:
    instruction = periodic_instructions_of(user).filter(pk=pk).first()
    if instruction is None:
        raise Http404("No such Periodic Instruction.")
    return instruction


def periodic_instruction_obligations(instruction: PeriodicInstruction) -> QuerySet[Obligation]:
    return Obligation.objects.filter(
        subject_type=ContentType.objects.get_for_model(PeriodicInstruction), subject_id=instruction.pk,
    ).select_related("responsible_person").order_by("start_date", "pk")


def periodic_instruction_history(instruction: PeriodicInstruction) -> QuerySet:
    return instruction.history.select_related("history_user").order_by("-history_date")
