"""Serializers of commitments."""

from __future__ import annotations

__all__: list[str] = []  # the names governance.serializers re-exports: unique across its modules
