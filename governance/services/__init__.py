"""Services of governance (writes), one module per workflow: the Board (board.py), client instructions
(instructions.py), the Implementation Plan (plan.py), commitments (commitments.py), Performance Periods and the
Performance Table (performance_table.py) and the client's assurance calendar (assurance.py). Import each name
from the module that defines it."""
