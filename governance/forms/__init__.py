"""Forms of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments, the Performance Table and assurance (commitments.py)."""

from governance.forms.board import *  # noqa: F403
from governance.forms.commitments import *  # noqa: F403
from governance.forms.instructions import *  # noqa: F403
from governance.forms.plan import *  # noqa: F403
