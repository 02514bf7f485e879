"""Services of allocation, one module per workflow: packages (packages, schemes, allocation runs, Scheme
Orders), optimisation (business cases, minor changes, the client taking Lot 1), membership (membership
changes), periodic (Periodic Instructions for the PMP)."""

from allocation.services.membership import *  # noqa: F403
from allocation.services.optimisation import *  # noqa: F403
from allocation.services.packages import *  # noqa: F403
from allocation.services.periodic import *  # noqa: F403
