"""Selectors of allocation, one module per workflow: packages (packages, schemes, allocation runs, Scheme
Orders), business_cases (optimisation business cases), minor_changes (minor post-allocation changes), lot1 (the
client taking Lot 1), membership (membership changes), periodic (Periodic Instructions for the PMP)."""

from allocation.selectors.business_cases import *  # noqa: F403
from allocation.selectors.lot1 import *  # noqa: F403
from allocation.selectors.membership import *  # noqa: F403
from allocation.selectors.minor_changes import *  # noqa: F403
from allocation.selectors.packages import *  # noqa: F403
from allocation.selectors.periodic import *  # noqa: F403
