"""Demo records of governance, one module per workflow; ``seed_demo`` is what alliance.demo discovers."""

from __future__ import annotations

from alliance.models import Alliance
from governance.demo import board, commitments, instructions, plan
from governance.demo.board import seed_matrix

__all__ = ["seed_demo", "seed_matrix"]


def seed_demo(alliance: Alliance) -> None:
    board.seed_demo(alliance)
    instructions.seed_demo(alliance)
    plan.seed_demo(alliance)
    commitments.seed_demo(alliance)
