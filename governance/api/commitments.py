"""REST API of commitments under /api/governance/."""

from __future__ import annotations
