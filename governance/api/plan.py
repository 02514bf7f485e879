"""REST API of plan under /api/governance/."""

from __future__ import annotations
