"""REST API of optimisation under /api/allocation/."""

from __future__ import annotations
