"""Selectors of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments (commitments.py), Performance Periods and the Performance Table (performance_table.py)
and the client's assurance calendar (assurance.py)."""

from governance.selectors.assurance import *  # noqa: F403
from governance.selectors.board import *  # noqa: F403
from governance.selectors.commitments import *  # noqa: F403
from governance.selectors.instructions import *  # noqa: F403
from governance.selectors.performance_table import *  # noqa: F403
from governance.selectors.plan import *  # noqa: F403
