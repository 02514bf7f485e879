"""Who may open which record: one registry, filled by each app for the models it tracks with history.

Each app states, once per tracked model, the records a person may open: a function returning a queryset (the
app's own selector, the one its list and detail pages read through, e.g. ``plans_visible_to``). Anything that
shows records outside their own pages reads through this registry too: the audit (audit/) filters
every historical table's rows by it in the database, so that nobody reads in the history what the record's own
page would answer 404 to (per-record authorisation, OWASP ASVS 8.2.2).

A rule may also say which *versions* of a record a person may read (``history``: a ``Q`` over the historical
rows' own fields, which are the model's). It serves two purposes:

* states the person could never see: with ``hide_versions``, a version that fails it is left out even of a
  record the person may open now (a partner's draft Supply Chain Management Plan is its own organisation's:
  the others see the plan from its submission on, never the draft's texts);
* records that no longer exist: nobody can open a deleted record, so its history is shown only where the rule
  admits its last version (the one recorded at its deletion): who could open it then may read how it ended.
  A model without a ``history`` rule keeps its deleted records' history to the Django admin's viewers.

Administrators also open records in the Django admin: a model registered there is open, in full, to whoever
the admin lets view it (``ModelAdmin.has_view_permission``). Models not registered here are open to nobody
(fail closed); tests/audit/test_audit_visibility.py checks every tracked model is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Field, ForeignObject, Lookup, Model, Q, QuerySet

from alliance.permissions import alliance_id_of

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from alliance.models import Person


@dataclass(frozen=True)
class Rule:
    """How one tracked model's records are seen.

    ``records(person)``: the records the person may open now (the app's selector). ``history(person)``: which
    historical rows (versions) the person may read, as a ``Q`` over the historical model's fields, or None for
    none; see the module's docstring. ``hide_versions``: apply ``history`` to the versions of records the person
    may open too (for states some viewers never see). ``can_open(person, record)``: the app's per-record
    predicate where it has one (the same rule in Python, for one object already read); the tests check the two
    agree."""

    model: type[Model]
    records: Callable[[Person], QuerySet]
    history: Callable[[Person], Q | None] | None = None
    hide_versions: bool = False
    can_open: Callable[[Person, Any], bool] | None = None
    by_version: bool | Callable[[Person], bool] = False

    def judged_by_version(self, person: Person) -> bool:
        """Whether ``history`` alone decides for this person: it reads only what a record never changes (its
        alliance; a rating's participant), so a version passes it exactly when its record, live or deleted,
        is one the person may open. The audit then filters each row by its own columns, which keeps its
        newest-first index scans (audit/sources.py)."""
        if self.history is None:
            return False
        return self.by_version(person) if callable(self.by_version) else self.by_version


_RULES: dict[type[Model], Rule] = {}


def register(*rules: Rule) -> None:
    """Called from each app's ``AppConfig.ready``; a model has one rule (a second is a mistake, refused)."""
    for rule in rules:
        if rule.model in _RULES and _RULES[rule.model] != rule:
            raise ValueError(f"{rule.model._meta.label} already has a visibility rule")
        _RULES[rule.model] = rule


def rule_for(model: type[Model]) -> Rule | None:
    return _RULES.get(model)


def tracked_models() -> list[type[Model]]:
    """Every model django-simple-history keeps history of, found from the app registry (so a new one is
    covered the day it is added)."""
    found = []
    for model in apps.get_models():
        instance_type = getattr(model, "instance_type", None)
        if instance_type is not None and {"history_id", "history_date", "history_type"} <= {
                f.name for f in model._meta.get_fields()}:
            found.append(instance_type)
    return sorted(found, key=lambda m: m._meta.label)


def unregistered() -> list[type[Model]]:
    return [model for model in tracked_models() if model not in _RULES]


class _AdminRequest:
    """What ``ModelAdmin.has_view_permission`` reads of a request: its user."""

    def __init__(self, user: Person):
        self.user = user


def admin_may_view(person: Person, model: type[Model]) -> bool:
    """Whether the person may open any record of the model in the Django admin (registered there, and the
    admin's own view permission: active staff with the view or change permission)."""
    if not (getattr(person, "is_authenticated", False) and person.is_active and person.is_staff):
        return False
    model_admin = admin.site._registry.get(model)
    return model_admin is not None and model_admin.has_view_permission(_AdminRequest(person))  # type: ignore[arg-type]  # a stand-in request: the admin reads only .user


def records_visible_to(person: Person, model: type[Model]) -> QuerySet:
    """The records of the model the person may open: every one for a viewer in the Django admin, else the
    app's rule; none for a model without one."""
    if admin_may_view(person, model):
        return model._default_manager.all()
    rule = _RULES.get(model)
    if rule is None:
        return model._default_manager.none()
    return rule.records(person)


def may_open(person: Person, record: Model) -> bool:
    """One record, by the same rule (one query; the app's predicate where it has one)."""
    model = type(record)
    if admin_may_view(person, model):
        return True
    rule = _RULES.get(model)
    if rule is None:
        return False
    if rule.can_open is not None:
        return rule.can_open(person, record)
    return rule.records(person).filter(pk=record.pk).exists()


# --- Helpers for the common rules --------------------------------------------------------------------------


def alliance_rule(model: type[Model], path: str, area: Callable[[Person], bool], *,
                  can_open: Callable[[Person, Any], bool] | None = None) -> Rule:
    """The usual rule: the records of the person's own alliance, for those the area's predicate lets in (e.g.
    every member for the supply chain's open book, the Board for decisions). ``path`` leads from the model to
    its alliance's id (``alliance_id``, ``meeting__alliance_id``). The same ``Q`` says which versions, so a
    deleted record's history stays with its alliance."""

    def scope(person: Person) -> Q | None:
        alliance_id = alliance_id_of(person)
        if alliance_id is None or not area(person):
            return None
        return along(model, path, alliance_id)

    def records(person: Person) -> QuerySet:
        condition = scope(person)
        manager = model._default_manager
        return manager.none() if condition is None else manager.filter(condition)

    return Rule(model=model, records=records, history=scope, can_open=can_open, by_version=True)


def along(model: type[Model], path: str, value: Any) -> Q:
    """``Q(<path>=value)`` written as ``<fk>__in_ids=<subquery>`` past the first foreign key, so that on a
    historical model (whose foreign keys are the model's) it needs no join: a condition on the row's own
    column the audit can put in its branch as it is."""
    first, _, rest = path.partition("__")
    if not rest:
        return Q(**{path: value})
    related = model._meta.get_field(first).related_model
    if not (isinstance(related, type) and issubclass(related, Model)):
        raise ValueError(f"{path!r} does not follow a foreign key from {model.__name__}")
    return Q(**{f"{first}__in_ids": related._default_manager.filter(along(related, rest, value)).order_by().values("pk")})


class InIds(Lookup):
    """``IN (subquery)`` that PostgreSQL keeps as a filter on each row: ``= ANY(ARRAY(subquery))``, the subquery
    read once. A plain ``IN`` is turned into a semi-join, which loses the order of a newest-first index scan;
    the audit's page, a merge of about 80 such scans stopped at its 50th row, then becomes a sort of every
    history row (measured: 64 ms instead of 19 ms at 50,000 rows). Other databases get the plain ``IN``."""

    lookup_name = "in_ids"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]


Field.register_lookup(InIds)
ForeignObject.register_lookup(InIds)  # relations keep lookups of their own


def alliance_rules(area: Callable[[Person], bool], paths: Iterable[tuple[type[Model], str]]) -> list[Rule]:
    return [alliance_rule(model, path, area) for model, path in paths]


# --- The core's own records ----------------------------------------------------------------------------------


def core_rules() -> list[Rule]:
    """The alliance, its lots, regions, organisations, people and roles (the directory, every member) and the
    dated obligations (their own selector)."""
    from alliance import selectors
    from alliance.models import Alliance, Lot, Obligation, Organisation, Person, Region, RoleAssignment
    from alliance.permissions import can_view_obligation, is_alliance_member, sees_whole_alliance

    def obligations_history(person: Person) -> Q | None:
        return selectors.obligation_scope(person)

    return [
        *alliance_rules(is_alliance_member, [
            (Alliance, "id"), (Lot, "alliance_id"), (Region, "alliance_id"), (Organisation, "alliance_id"),
            (Person, "organisation__alliance_id"), (RoleAssignment, "organisation__alliance_id"),
        ]),
        # Who an obligation concerns can change (it is handed on), but not its alliance: for those who see the
        # whole alliance's, each version decides.
        Rule(Obligation, records=selectors.obligations_visible_to, history=obligations_history,
             can_open=can_view_obligation, by_version=sees_whole_alliance),
    ]
