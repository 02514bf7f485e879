"""Selectors of performance, one module per workflow: scorecard.py (metrics, quarters, scores, the scorecard,
findings) and improvement.py (processes, plans, incidents, the efficiency register). Import each name from the
module that defines it."""
