"""Pages of optimisation."""

from __future__ import annotations
