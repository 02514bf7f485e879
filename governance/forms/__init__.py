"""Forms of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments (commitments.py), Performance Periods and the Performance Table (performance_table.py)
and the client's assurance calendar (assurance.py)."""

from governance.forms.assurance import *  # noqa: F403
from governance.forms.board import *  # noqa: F403
from governance.forms.commitments import *  # noqa: F403
from governance.forms.instructions import *  # noqa: F403
from governance.forms.performance_table import *  # noqa: F403
from governance.forms.plan import *  # noqa: F403
