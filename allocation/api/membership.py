"""REST API of membership under /api/allocation/."""

from __future__ import annotations
