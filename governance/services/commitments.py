"""Services of commitments."""

from __future__ import annotations

__all__: list[str] = []  # the names governance.services re-exports: unique across its modules

# Decision Matrix code -> what its outcome does to this workflow's record (registered in GovernanceConfig.ready).
OUTCOME_HANDLERS: dict = {}
