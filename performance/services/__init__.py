"""Services of performance: the scorecard (scorecard.py: metrics, quarters, scores, the scorecard, findings and
improvement processes) and improvement (improvement.py: plans, incidents, the efficiency register)."""

from performance.services.framework import *  # noqa: F403
from performance.services.improvement import *  # noqa: F403
from performance.services.scorecard import *  # noqa: F403
