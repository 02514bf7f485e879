"""Services of commitments."""

from __future__ import annotations
