"""Services of instructions."""

from __future__ import annotations
