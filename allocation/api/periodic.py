"""REST API of periodic under /api/allocation/."""

from __future__ import annotations
