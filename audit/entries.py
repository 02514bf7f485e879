"""The audit list's entries: the records of a page with the record before each, and which fields changed."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from alliance import visibility
from alliance.models import Person
from alliance.portal_registry import may_open
from audit.sources import (
    ACTIONS,
    EXPORT_BATCH,
    AuditFilters,
    Source,
    _rows,
    audit_entry_count,
    sources,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.db.models import Model


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    history_id: int
    when: dt.datetime
    action: str  # created, changed, deleted
    reason: str
    source: Source
    object_id: str
    object_label: str = ""
    url: str | None = None
    person_id: int | None = None
    person: Person | None = None
    changes: list[FieldChange] = field(default_factory=list)
    earlier_unknown: bool = False  # a change whose earlier record is not kept
    earlier_hidden: bool = False  # a change after a version the viewer may not read: its values, not a diff

    @property
    def app_label(self) -> str:
        return self.source.app_label

    @property
    def type_name(self) -> str:
        return self.source.type_name

    @property
    def who(self) -> str:
        if self.person is not None:
            return str(self.person)
        return f"Person #{self.person_id} (removed)" if self.person_id else "The system"

    @property
    def organisation(self) -> str:
        organisation = self.person.organisation if self.person is not None else None
        return str(organisation) if organisation is not None else ""


def _shown(model_field, value: Any, related: dict) -> str:
    """A field's value as a person reads it: choice labels, related objects by name, en-gb dates."""
    if value is None or value == "":
        return ""
    if model_field.many_to_one or model_field.one_to_one:
        return related.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j M Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "j M Y")
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, FieldFile):
        return value.name or ""
    return str(value)


def _raw_changes(source: Source, record, previous, *, earlier_hidden: bool = False) -> list[tuple[str, Any, Any]]:
    """(field name, old, new) of one historical row: against the row before it, or its first values (also
    when the row before it is a version the viewer may not read: nothing of it shows, not even as "from")."""
    names = list(source.diff_fields)
    if record.history_type == "+" or (earlier_hidden and record.history_type == "~"):
        values = model_to_dict(record, fields=names)
        return [(name, None, values[name]) for name in names if values.get(name) not in (None, "")]
    if record.history_type == "~" and previous is not None:
        delta = record.diff_against(previous, included_fields=names)
        return [(c.field, c.old, c.new) for c in delta.changes]
    return []


class _WouldQuery(Exception):
    pass


def _refuse_queries(execute, sql, params, many, context):
    raise _WouldQuery


def _without_queries(call, fallback):
    """``call()`` if it needs no query, else ``fallback``: a model's ``__str__`` that reaches further than the
    objects read with it would otherwise cost a query per row."""
    with connection.execute_wrapper(_refuse_queries):
        try:
            return call()
        except _WouldQuery:
            return fallback


@functools.cache
def _named_in_str(model: type[Model]) -> tuple[str, ...]:
    """The foreign keys the model's ``__str__`` names (``self.organisation``): read with the objects, so that
    their names cost no query. Joining every foreign key instead was measured: planning the wide joins cost
    more than the rest of the page. What this misses, ``_without_queries`` catches."""
    keys = {f.name for f in model._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)}
    try:
        source = inspect.getsource(model.__str__)
    except (OSError, TypeError):
        return ()
    return tuple(sorted(keys & set(re.findall(r"self\.(\w+)", source))))


def _with_related(model: type[Model]):
    """The model's rows with the objects its ``__str__`` shows (no Meta.ordering: unused, and its joins cost)."""
    return model._base_manager.select_related(*_named_in_str(model)).order_by()


def _records(source: Source, history_ids: list[int]) -> tuple[dict[int, Any], dict[int, Any]]:
    """The page's historical rows of one model and the row before each (one query): {history_id: record} and
    {history_id: previous record}. The row before a page row is the latest one before it of the same object:
    either another page row or one fetched as such, so the latest fetched row before it is the one."""
    history, pk_name = source.history_model, source.pk_name
    earlier = (history._default_manager.filter(**{pk_name: OuterRef(pk_name)})
               .filter(Q(history_date__lt=OuterRef("history_date"))
                       | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")))
               .order_by("-history_date", "-history_id").values("history_id")[:1])
    previous_ids = (history._default_manager.filter(history_id__in=history_ids, history_type="~")
                    .annotate(audit_previous=Subquery(earlier)).order_by().values("audit_previous"))
    own_ids = history._default_manager.filter(history_id__in=history_ids).order_by().values("history_id")
    # One IN over a UNION, not two INs joined by OR: PostgreSQL answers the OR with a scan of the whole table.
    fetched = list(history._default_manager.filter(history_id__in=own_ids.union(previous_ids, all=True)).order_by())
    by_object: dict[Any, list[Any]] = {}
    for record in fetched:
        by_object.setdefault(getattr(record, pk_name), []).append(record)
    wanted = set(history_ids)
    records, previous = {}, {}
    for rows in by_object.values():
        rows.sort(key=lambda r: (r.history_date, r.history_id))
        for before, record in zip([None, *rows], rows, strict=False):
            if record.history_id in wanted:
                records[record.history_id] = record
                if before is not None and record.history_type == "~":
                    previous[record.history_id] = before
    return records, previous


def _hidden_versions(viewer: Person, previous: dict[tuple[int, int], Any]) -> set[tuple[int, int]]:
    """The page rows whose row before is a version the viewer may not read (alliance/visibility.py,
    ``hide_versions``): one query per such model on the page."""
    all_sources = sources()
    by_source: dict[int, dict[int, tuple[int, int]]] = {}
    for key, before in previous.items():
        by_source.setdefault(key[0], {})[before.history_id] = key
    hidden: set[tuple[int, int]] = set()
    for index, wanted in by_source.items():
        source = all_sources[index]
        rule = visibility.rule_for(source.model)
        if rule is None or not rule.hide_versions or visibility.admin_may_view(viewer, source.model):
            continue
        versions = rule.history(viewer) if rule.history is not None else None
        readable = set() if versions is None else set(
            source.history_model._default_manager.filter(versions, history_id__in=list(wanted))
            .values_list("history_id", flat=True))
        hidden.update(key for history_id, key in wanted.items() if history_id not in readable)
    return hidden


def _describe(viewer: Person, rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """The rows as entries. Queries: per model on the page, its records with the records before them, and
    its live objects; per related model, the objects the changed foreign keys name; the people. None of it
    grows with the number of rows."""
    all_sources = sources()
    tracked = {s.model for s in all_sources}
    by_source: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_source.setdefault(row["source"], []).append(row)

    records: dict[tuple[int, int], Any] = {}
    previous: dict[tuple[int, int], Any] = {}
    live: dict[tuple[int, str], Model] = {}
    for index, source_rows in by_source.items():
        source = all_sources[index]
        found, before = _records(source, [r["history_id"] for r in source_rows])
        records.update(((index, k), v) for k, v in found.items())
        previous.update(((index, k), v) for k, v in before.items())
        for obj in _with_related(source.model).filter(pk__in={r["object_id"] for r in source_rows}):
            live[index, str(obj.pk)] = obj

    hidden = _hidden_versions(viewer, previous)
    raw: dict[tuple[int, int], list[tuple[str, Any, Any]]] = {}
    wanted_related: dict[type[Model], set[Any]] = {}
    for key, record in records.items():
        source = all_sources[key[0]]
        changes = _raw_changes(source, record, previous.get(key), earlier_hidden=key in hidden)
        raw[key] = changes
        for name, old, new in changes:
            model_field = source.history_model._meta.get_field(name)
            if model_field.many_to_one or model_field.one_to_one:
                related_model = cast("type[Model]", model_field.related_model)  # a foreign key's model
                wanted_related.setdefault(related_model, set()).update(
                    v for v in (old, new) if v is not None)
    related: dict[tuple[type[Model], Any], str] = {}
    for model, pks in wanted_related.items():
        # A record named by a changed foreign key shows by name only to those who may open it; else "#id".
        objects = _with_related(model).filter(pk__in=pks)
        if model in tracked:
            objects = objects.filter(pk__in=visibility.records_visible_to(viewer, model).values("pk"))
        for obj in objects:
            related[model, obj.pk] = _without_queries(lambda obj=obj: str(obj), f"#{obj.pk}")

    people = Person._base_manager.select_related("organisation").order_by().in_bulk(
        {r["history_user_id"] for r in rows if r["history_user_id"] is not None})

    entries = []
    for row in rows:
        key = (row["source"], row["history_id"])
        source = all_sources[row["source"]]
        record = records.get(key)
        obj = live.get((row["source"], row["object_id"]))
        entry = AuditEntry(
            history_id=row["history_id"], when=row["history_date"],
            action=ACTIONS.get(row["history_type"], "changed"), reason=row["history_change_reason"] or "",
            source=source, object_id=row["object_id"], person_id=row["history_user_id"],
            person=people.get(row["history_user_id"]),
        )
        if obj is None:
            entry.object_label = f"{source.type_name} #{row['object_id']} (deleted)"
        else:
            entry.object_label = _without_queries(lambda obj=obj: str(obj), f"{source.type_name} #{row['object_id']}")
            url = _without_queries(obj.get_absolute_url, None) if hasattr(obj, "get_absolute_url") else None
            entry.url = url if url and may_open(viewer, url) else None
        for name, old, new in raw.get(key, []):
            model_field = source.history_model._meta.get_field(name)
            entry.changes.append(FieldChange(name=name, label=capfirst(str(model_field.verbose_name)),
                                             old=_shown(model_field, old, related),
                                             new=_shown(model_field, new, related)))
        entry.earlier_unknown = record is not None and record.history_type == "~" and key not in previous
        entry.earlier_hidden = key in hidden
        entries.append(entry)
    return entries


def audit_entries(viewer: Person, filters: AuditFilters, *, offset: int = 0, limit: int = 50) -> list[AuditEntry]:
    """One page of changes, newest first, each with who, what and which fields changed from what to what."""
    return _describe(viewer, _rows(viewer, filters, offset=offset, limit=limit))


def audit_export(viewer: Person, filters: AuditFilters, *, batch: int = EXPORT_BATCH) -> Iterator[AuditEntry]:
    """Every matching change, newest first, read a batch at a time after the last row read (keyset, so the
    last batch costs what the first did)."""
    after = None
    while True:
        rows = _rows(viewer, filters, offset=0, limit=batch, after=after)
        yield from _describe(viewer, rows)
        if len(rows) < batch:
            return
        last = rows[-1]
        after = (last["history_date"], last["source"], last["history_id"])


class AuditLog:
    """The filtered history as Django's Paginator reads a list: ``count()`` and a slice, one query each."""

    def __init__(self, viewer: Person, filters: AuditFilters):
        self.viewer, self.filters = viewer, filters

    def count(self) -> int:
        return audit_entry_count(self.viewer, self.filters)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[AuditEntry]:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("AuditLog takes a slice such as [50:100]")
        start = key.start or 0
        return audit_entries(self.viewer, self.filters, offset=start, limit=(key.stop or start) - start)
