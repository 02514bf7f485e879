"""Selectors of commitments."""

from __future__ import annotations

__all__: list[str] = []  # the names governance.selectors re-exports: unique across its modules
