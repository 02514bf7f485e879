"""Outcome handlers: what another app does when a decision about its record closes (DESIGN.md).

An app registers one handler per decision type code, in its AppConfig.ready(); governance calls it inside
the closing transaction, after the outcome is frozen. An explicit registry read top to bottom, not a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.models import Decision

OutcomeHandler = Callable[["Decision"], None]

_HANDLERS: dict[str, OutcomeHandler] = {}


def register(decision_type_code: str, handler: OutcomeHandler) -> None:
    if decision_type_code in _HANDLERS and _HANDLERS[decision_type_code] is not handler:
        raise ValueError(f"An outcome handler is already registered for {decision_type_code!r}")
    _HANDLERS[decision_type_code] = handler


def unregister(decision_type_code: str) -> None:
    _HANDLERS.pop(decision_type_code, None)


def handler_for(decision_type_code: str) -> OutcomeHandler | None:
    return _HANDLERS.get(decision_type_code)
