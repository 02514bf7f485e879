"""Outcome handlers: what another app does when a decision about its record closes (docs/architecture.md).

A workflow module states, in one ``BoardOutcomes``, which of its records wait on the Board and what each
decision type's outcome does to them; its app registers it in ``AppConfig.ready()`` with one call,
``outcomes.register_outcomes(...)``. Governance calls the handler inside the closing transaction, after the
outcome is frozen, with the record locked, and only when the closing decision is still the record's current
one (``record.decision_id``) and the record still waits on the Board: a decision that was superseded, or a
record withdrawn meanwhile, changes nothing. An explicit registry read top to bottom, not a signal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model

    from governance.models.board import Decision

OutcomeHandler = Callable[["Decision"], None]
RecordOutcomeHandler = Callable[[Any, "Decision"], None]

_HANDLERS: dict[str, OutcomeHandler] = {}


@dataclass(frozen=True)
class BoardOutcomes:
    """What the Board's decisions on one kind of record do.

    ``model``: the record the decisions are about (their ``subject``); it has a ``decision`` foreign key naming
    its current decision. ``waiting``: the record's ``status`` while it waits on the Board (one value or several),
    or a predicate on the record. ``handlers``: per Decision Matrix code, ``handler(record, decision)``.
    ``select_related``: what the handlers read with the record."""

    model: type[Model]
    waiting: str | Iterable[str] | Callable[[Any], bool]
    handlers: Mapping[str, RecordOutcomeHandler]
    select_related: tuple[str, ...] = field(default=())

    def is_waiting(self, record: Any) -> bool:
        if callable(self.waiting):
            return bool(self.waiting(record))
        if isinstance(self.waiting, str):
            return bool(record.status == self.waiting)
        return record.status in set(self.waiting)

    def current_record(self, decision: Decision) -> Any | None:
        """The decision's subject, locked, when the decision is still its current one and it waits on the
        Board; else None."""
        records = self.model._default_manager.select_for_update(of=("self",))
        if self.select_related:
            records = records.select_related(*self.select_related)
        record: Any = records.filter(pk=decision.subject_id).first()  # the workflow's model, with its decision
        if record is None or record.decision_id != decision.pk or not self.is_waiting(record):
            return None  # not the record's current decision: it changes nothing
        return record

    def handler(self, code: str) -> OutcomeHandler:
        on_record = self.handlers[code]

        def on_outcome(decision: Decision) -> None:
            record = self.current_record(decision)
            if record is not None:
                on_record(record, decision)

        on_outcome.__qualname__ = on_outcome.__name__ = f"on_outcome[{code}]"
        on_outcome.__doc__ = on_record.__doc__
        return on_outcome


def register_outcomes(*board_outcomes: BoardOutcomes) -> None:
    """Register every handler of the given workflows (one call per app, in its ``AppConfig.ready()``). Two
    workflows may share a Decision Matrix type (the Production Hub's proposals and portfolio recommendations):
    the closing decision then goes to the one whose model is the decision's subject."""
    by_code: dict[str, list[BoardOutcomes]] = {}
    for outcomes in board_outcomes:
        for code in outcomes.handlers:
            by_code.setdefault(code, []).append(outcomes)
    for code, sharing in by_code.items():
        if len(sharing) == 1:
            register(code, sharing[0].handler(code), owner=sharing[0])
        else:
            register(code, _by_subject(code, sharing), owner=tuple(sharing))


def _by_subject(code: str, sharing: list[BoardOutcomes]) -> OutcomeHandler:
    handlers = {outcomes.model: outcomes.handler(code) for outcomes in sharing}

    def on_outcome(decision: Decision) -> None:
        subject_model = decision.subject_type.model_class() if decision.subject_type is not None else None
        handler = handlers.get(subject_model) if subject_model is not None else None
        if handler is not None:
            handler(decision)

    on_outcome.__qualname__ = on_outcome.__name__ = f"on_outcome[{code}]"
    return on_outcome


_OWNERS: dict[str, object] = {}


def register(decision_type_code: str, handler: OutcomeHandler, *, owner: object = None) -> None:
    """Register one handler taking the closed decision (a handler that needs no record, or a test's)."""
    known = _OWNERS.get(decision_type_code, _HANDLERS.get(decision_type_code))
    if decision_type_code in _HANDLERS and known != (owner if owner is not None else handler):
        raise ValueError(f"An outcome handler is already registered for {decision_type_code!r}")
    _HANDLERS[decision_type_code] = handler
    if owner is not None:
        _OWNERS[decision_type_code] = owner


def unregister(decision_type_code: str) -> None:
    _HANDLERS.pop(decision_type_code, None)
    _OWNERS.pop(decision_type_code, None)


def handler_for(decision_type_code: str) -> OutcomeHandler | None:
    return _HANDLERS.get(decision_type_code)
