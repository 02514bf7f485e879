"""Reads of mobilisation and maturity, one module per workflow: deliverables, phases, maturity, assessment."""
