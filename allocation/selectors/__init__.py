"""Selectors of allocation, one module per workflow: packages (packages, schemes, allocation runs, Scheme
Orders), optimisation (business cases, minor changes, the client taking Lot 1), membership (membership
changes), periodic (Periodic Instructions for the PMP)."""

from allocation.selectors.membership import *  # noqa: F403
from allocation.selectors.optimisation import *  # noqa: F403
from allocation.selectors.packages import *  # noqa: F403
from allocation.selectors.periodic import *  # noqa: F403
