"""Which allocation records a person may open (alliance/visibility.py): every member of the alliance sees the
allocation of every scheme, the optimisation cases, the membership changes and the Periodic Instructions."""

from __future__ import annotations

from alliance.visibility import alliance_rules
from allocation.models import (
    MembershipChange,
    MinorChange,
    OptimisationBusinessCase,
    Package,
    PartnerAgreement,
    PeriodicInstruction,
    Scheme,
    SchemeAllocation,
)
from allocation.permissions import can_view_allocation

RULES = alliance_rules(can_view_allocation, [
    (MembershipChange, "alliance_id"), (MinorChange, "alliance_id"), (OptimisationBusinessCase, "alliance_id"),
    (Package, "alliance_id"), (PeriodicInstruction, "alliance_id"), (Scheme, "alliance_id"),
    (PartnerAgreement, "minor_change__alliance_id"), (SchemeAllocation, "scheme__alliance_id"),
])
