"""REST API of packages under /api/allocation/."""

from __future__ import annotations
