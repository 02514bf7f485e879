"""Writes of mobilisation and maturity, one module per workflow: deliverables (and the mobilisation plan's review),
phases (and their go / no-go assessments), maturity (the maturity plan), assessment (the self-assessment)."""
