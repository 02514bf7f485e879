"""Services of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments, the Performance Table and assurance (commitments.py)."""

from governance.services.board import *  # noqa: F403
from governance.services.commitments import *  # noqa: F403
from governance.services.instructions import *  # noqa: F403
from governance.services.plan import *  # noqa: F403
