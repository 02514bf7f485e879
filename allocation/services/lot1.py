"""Writes of the client taking Lot 1 elements (para 102). docs/domain.md section 4.

The SRO instructs it; the Lot 1 current Responsible Partner becomes the client, with the reason in the
allocation's history. One step, no table of statuses: the allocation itself records it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from alliance import services as alliance_services
from alliance.models import Role
from alliance.permissions import own_alliance_id
from alliance.workflow import require, save_with_reason
from allocation import permissions
from allocation.models import Scheme, SchemeAllocation, SchemeStatus
from allocation.selectors.packages import client_of
from governance.selectors.board import board_representatives
from governance.selectors.instructions import role_holder

if TYPE_CHECKING:
    from alliance.models import Person


ERR_LOT1_NOT_CLIENT = "Only the SRO instructs that the client becomes Responsible Partner for Lot 1 elements (para 102)."
ERR_LOT1_NO_SCHEMES = "Choose at least one scheme."
ERR_LOT1_REASON_REQUIRED = "Enter the reason for the client's instruction."
ERR_LOT1_SCHEME_OTHER_ALLIANCE = "That scheme belongs to another alliance."
ERR_LOT1_SCHEME_CANCELLED = "Scheme {code} is cancelled."
ERR_LOT1_NOT_ALLOCATED = "Scheme {code} has no Responsible Partner for Lot 1 yet: run the allocation first."
ERR_LOT1_ALREADY_CLIENT = "The client is already the Responsible Partner for Lot 1 of {code}."


@transaction.atomic
def lot1_client_take(*, actor: Person, schemes: Iterable[Scheme], reason: str) -> list[SchemeAllocation]:
    """The client, through the SRO, instructs that it becomes the Responsible Partner for the Lot 1 work of
    the schemes named (para 102). Only the current Responsible Partner changes; all schemes or none."""
    require(permissions.is_client_decider(actor), ERR_LOT1_NOT_CLIENT)
    alliance_id = own_alliance_id(actor)
    schemes = list(schemes)
    if not schemes:
        raise ValidationError({"schemes": [ERR_LOT1_NO_SCHEMES]})
    if not reason.strip():
        raise ValidationError({"reason": [ERR_LOT1_REASON_REQUIRED]})
    client = client_of(alliance_id)
    changed: list[SchemeAllocation] = []
    previous: dict[int, list[str]] = {}
    for scheme in schemes:
        if scheme.alliance_id != alliance_id:
            raise ValidationError({"schemes": [ERR_LOT1_SCHEME_OTHER_ALLIANCE]})
        if scheme.status == SchemeStatus.CANCELLED:
            raise ValidationError({"schemes": [ERR_LOT1_SCHEME_CANCELLED.format(code=scheme.code)]})
        # Locked: a business case approved at the same moment must not move this lot from under us.
        allocation = SchemeAllocation.objects.select_for_update().filter(scheme=scheme, lot=1).first()
        if allocation is None:
            raise ValidationError({"schemes": [ERR_LOT1_NOT_ALLOCATED.format(code=scheme.code)]})
        if allocation.current_partner_id == client.pk:
            raise ValidationError({"schemes": [ERR_LOT1_ALREADY_CLIENT.format(code=scheme.code)]})
        previous.setdefault(allocation.current_partner_id, []).append(scheme.code)
        allocation.current_partner = client
        # The history keeps a short reason; the notification below carries it whole.
        save_with_reason(allocation, actor, f"The client takes Lot 1 (para 102): {reason.strip()}")
        changed.append(allocation)
    representatives = board_representatives(alliance_id)
    manager = role_holder(alliance_id, Role.ALLIANCE_MANAGER)
    people = [representatives[pk] for pk in previous if pk in representatives] + ([manager] if manager else [])
    alliance_services.notification_send(
        recipients=people, title="The client becomes Responsible Partner for Lot 1 of "
                                 + ", ".join(sorted(code for codes in previous.values() for code in codes)),
        link=reverse("lot1-client"), body=f"{reason.strip()}\n\nInstructed by the client under para 102.",
    )
    return changed
