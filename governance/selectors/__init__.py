"""Selectors of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments, the Performance Table and assurance (commitments.py)."""

from governance.selectors.board import *  # noqa: F403
from governance.selectors.commitments import *  # noqa: F403
from governance.selectors.instructions import *  # noqa: F403
from governance.selectors.plan import *  # noqa: F403
