"""Pages of periodic."""

from __future__ import annotations
