"""Serializers of allocation, one module per workflow: packages (packages, schemes, allocation runs, Scheme
Orders), business_cases (optimisation business cases), minor_changes (minor post-allocation changes),
membership (membership changes), periodic (Periodic Instructions for the PMP). The client taking Lot 1 has no
API."""

from allocation.serializers.business_cases import *  # noqa: F403
from allocation.serializers.membership import *  # noqa: F403
from allocation.serializers.minor_changes import *  # noqa: F403
from allocation.serializers.packages import *  # noqa: F403
from allocation.serializers.periodic import *  # noqa: F403
