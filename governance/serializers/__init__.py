"""Serializers of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments, the Performance Table and assurance (commitments.py)."""

from governance.serializers.board import *  # noqa: F403
from governance.serializers.commitments import *  # noqa: F403
from governance.serializers.instructions import *  # noqa: F403
from governance.serializers.plan import *  # noqa: F403
