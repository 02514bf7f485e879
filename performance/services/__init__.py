"""Services of performance, one module per workflow: scorecard.py (metrics, quarters, scores, freezing, findings
and improvement processes), improvement.py (plans, incidents, the efficiency register) and framework.py (changes
to the performance framework decided by the Board). Import each name from the module that defines it."""
