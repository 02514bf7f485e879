"""Forms of allocation, one module per workflow: packages (packages, schemes, allocation runs, Scheme
Orders), business_cases (optimisation business cases), minor_changes (minor post-allocation changes), lot1 (the
client taking Lot 1), membership (membership changes), periodic (Periodic Instructions for the PMP). _shared
holds the forms business cases and minor changes share (the Board submission, the withdraw button)."""

from allocation.forms._shared import *  # noqa: F403
from allocation.forms.business_cases import *  # noqa: F403
from allocation.forms.lot1 import *  # noqa: F403
from allocation.forms.membership import *  # noqa: F403
from allocation.forms.minor_changes import *  # noqa: F403
from allocation.forms.packages import *  # noqa: F403
from allocation.forms.periodic import *  # noqa: F403
