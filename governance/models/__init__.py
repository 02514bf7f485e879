"""Models of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments, the Performance Table and assurance (commitments.py)."""

from governance.models.board import *  # noqa: F403
from governance.models.commitments import *  # noqa: F403
from governance.models.instructions import *  # noqa: F403
from governance.models.plan import *  # noqa: F403
