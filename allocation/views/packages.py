"""Pages of packages."""

from __future__ import annotations
