"""Forms of instructions."""

from __future__ import annotations

__all__: list[str] = []  # the names governance.forms re-exports: unique across its modules
