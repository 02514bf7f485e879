"""Models of governance: the Board (board.py), client instructions (instructions.py), the Implementation Plan
(plan.py), commitments, the Performance Table and assurance (commitments.py). Django loads the model classes
from here; their choices and constants are imported from the module that defines them."""
# ruff: noqa: F401 (imported for Django to load, not used here)

from governance.models.board import (
    AgendaItem,
    Attendance,
    Decision,
    DecisionType,
    Delegation,
    Meeting,
    Paper,
    Vote,
)
from governance.models.commitments import (
    AssuranceReview,
    Commitment,
    CommitmentSelection,
    PerformancePeriod,
    PerformanceTable,
    PerformanceTableRow,
    PerformanceTableTrigger,
)
from governance.models.instructions import ClientInstruction, ImpactAssessment, InstructionDocument
from governance.models.plan import ChangeProposal, PlanSection, PlanVersion
