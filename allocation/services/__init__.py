"""Services of allocation, one module per workflow: packages (packages, schemes, allocation runs, Scheme
Orders), business_cases (optimisation business cases), minor_changes (minor post-allocation changes), lot1 (the
client taking Lot 1), membership (membership changes), periodic (Periodic Instructions for the PMP). _shared
holds what the optimisation workflows share (the Board's default closing day, the step helpers)."""

from allocation.services._shared import *  # noqa: F403
from allocation.services.business_cases import *  # noqa: F403
from allocation.services.lot1 import *  # noqa: F403
from allocation.services.membership import *  # noqa: F403
from allocation.services.minor_changes import *  # noqa: F403
from allocation.services.packages import *  # noqa: F403
from allocation.services.periodic import *  # noqa: F403
