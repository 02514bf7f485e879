"""Demo records of periodic. Idempotent."""

from __future__ import annotations

from alliance.models import Alliance


def seed_demo(alliance: Alliance) -> None:
    return None
