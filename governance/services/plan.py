"""Services of plan."""

from __future__ import annotations
