"""REST API of instructions under /api/governance/."""

from __future__ import annotations
