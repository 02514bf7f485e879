"""Services of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments (commitments.py), Performance Periods and the Performance Table (performance_table.py)
and the client's assurance calendar (assurance.py)."""

from governance.services.assurance import *  # noqa: F403
from governance.services.board import *  # noqa: F403
from governance.services.commitments import *  # noqa: F403
from governance.services.instructions import *  # noqa: F403
from governance.services.performance_table import *  # noqa: F403
from governance.services.plan import *  # noqa: F403
