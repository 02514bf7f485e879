"""One history across everything: the reads behind the audit page (selectors, CONVENTIONS.md).

Every record of a decision, vote, score, plan or status change is tracked by django-simple-history, one
historical table per model (about 80). The audit list is one SQL ``UNION ALL`` over those tables of the
columns they share (which row, when, how, why, by whom, which object), with every filter pushed into each
branch and a filter on app or object type simply leaving branches out. Only the rows of the page shown are then
read as records, with the record before each, to work out which fields changed from what to what: a fixed
number of queries per model on the page, never one per row.

Who may read it is ``permissions.can_view_audit``. Historical rows carry no alliance of their own, so a viewer
of an alliance sees every change except those made by people of another alliance's organisations: their own
alliance's, platform administrators' (outside any organisation) and those nobody made by hand (the periodic
sweeps, data migrations). A platform administrator outside any organisation sees everything.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection
from django.db.models import OuterRef, Q, Subquery
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst

from alliance import navigation, permissions
from alliance.models import Organisation, Person

if TYPE_CHECKING:
    from collections.abc import Iterator

    from django.db.models import Model

ERR_AUDIT_DATE_ORDER = "The ‘to’ date must be the same as or after the ‘from’ date"
ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
EXPORT_BATCH = 500
# The SQL below is text built only from identifiers out of the models' _meta, quoted by the backend, and
# placeholders: every value the user chooses is a parameter (hence the S608 noqa marks).
# The columns every historical table has, in the order of the UNION's select list.
COLUMNS = ("history_id", "history_date", "history_type", "history_change_reason", "history_user_id", "source",
           "object_id")


@dataclass(frozen=True)
class Source:
    """One historical table: the model it tracks and where its rows are."""

    index: int
    history_model: type[Model]
    model: type[Model]

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    @property
    def type_name(self) -> str:
        return capfirst(self.model._meta.verbose_name)

    @property
    def pk_name(self) -> str:
        return self.model._meta.pk.name

    @property
    def pk_column(self) -> str:
        return self.history_model._meta.get_field(self.pk_name).column

    @functools.cached_property
    def diff_fields(self) -> tuple[str, ...]:
        """The tracked fields a change can show: editable, not many-to-many (their own tables), not the pk."""
        tracked = getattr(self.history_model, "tracked_fields", ())
        return tuple(f.name for f in tracked if f.editable and not f.many_to_many and not f.primary_key)


@functools.cache
def sources() -> tuple[Source, ...]:
    """Every table django-simple-history keeps, ordered by model label (the index is the UNION's tie-break)."""
    found = []
    for model in apps.get_models():
        instance_type = getattr(model, "instance_type", None)
        names = {f.name for f in model._meta.get_fields()}
        if instance_type is not None and {"history_id", "history_date", "history_type"} <= names:
            found.append((model, instance_type))
    found.sort(key=lambda pair: pair[1]._meta.label)
    return tuple(Source(i, history, model) for i, (history, model) in enumerate(found))


def source_for(label: str) -> Source | None:
    return next((s for s in sources() if s.label == label), None)


def app_choices() -> list[tuple[str, str]]:
    """The apps that keep history, as (app label, the app's name)."""
    labels = sorted({s.app_label for s in sources()})
    return [(label, str(apps.get_app_config(label).verbose_name)) for label in labels]


def type_choices() -> list[tuple[str, str]]:
    """The object types that keep history, as (model label, "App: Type")."""
    names = dict(app_choices())
    return sorted(((s.label, f"{names[s.app_label]}: {s.type_name}") for s in sources()), key=lambda c: c[1])


# --- Filters and scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """What the list is narrowed to; every part optional. Dates are London dates, both ends included."""

    person_id: int | None = None
    organisation_id: int | None = None
    app_label: str | None = None
    model_label: str | None = None
    object_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def people_in_scope(viewer: Person):
    """The people whose changes the viewer may read (and pick in the filter): those of the viewer's alliance and
    platform administrators outside any organisation."""
    queryset = Person.objects.select_related("organisation")
    alliance_id = permissions.alliance_id_of(viewer)
    if alliance_id is None:
        return queryset
    return queryset.filter(Q(organisation__alliance_id=alliance_id) | Q(organisation__isnull=True))


def organisations_in_scope(viewer: Person):
    alliance_id = permissions.alliance_id_of(viewer)
    queryset = Organisation.objects.all()
    return queryset if alliance_id is None else queryset.filter(alliance_id=alliance_id)


def _outsiders_exist(viewer: Person) -> bool:
    """Whether anyone belongs to another alliance (read once per request): with one alliance on the platform,
    as usual, the list needs no condition on who made a change."""
    cached = getattr(viewer, "_audit_outsiders", None)
    if cached is None:
        alliance_id = permissions.alliance_id_of(viewer)
        cached = alliance_id is not None and (
            Person.objects.filter(organisation__isnull=False).exclude(organisation__alliance_id=alliance_id).exists())
        viewer._audit_outsiders = cached
    return cached


def _london_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _people_cte(viewer: Person, filters: AuditFilters) -> tuple[str, list[Any]] | None:
    """The people a branch matches on (an organisation's) or leaves out (other alliances'), as SQL for a CTE;
    None when a branch needs neither. A person picked in the filter is matched directly (the form offers
    only people in scope)."""
    qn = connection.ops.quote_name
    person, organisation = Person._meta, Organisation._meta
    if filters.organisation_id is not None:
        return (f"SELECT {qn(person.pk.column)} FROM {qn(person.db_table)} "  # noqa: S608
                f"WHERE {qn(person.get_field('organisation').column)} = %s", [filters.organisation_id])
    if filters.person_id is not None or not _outsiders_exist(viewer):
        return None
    return (f"SELECT p.{qn(person.pk.column)} FROM {qn(person.db_table)} p "  # noqa: S608
            f"JOIN {qn(organisation.db_table)} o ON o.{qn(organisation.pk.column)} = "
            f"p.{qn(person.get_field('organisation').column)} "
            f"WHERE o.{qn(organisation.get_field('alliance').column)} <> %s", [permissions.alliance_id_of(viewer)])


def _branch_where(source: Source, viewer: Person, filters: AuditFilters, *, after=None) -> tuple[str, list[Any]]:
    """The WHERE of one table's branch: the filters, and (for the export) the keyset of the last row read."""
    qn = connection.ops.quote_name
    user = qn("history_user_id")
    where, params = [], []
    if filters.person_id is not None:
        where.append(f"{user} = %s")
        params.append(filters.person_id)
    elif filters.organisation_id is not None:
        where.append(f"{user} IN (SELECT * FROM audit_people)")  # noqa: S608
    elif _outsiders_exist(viewer):
        # Changes made by nobody (sweeps, migrations) are every alliance's: see the module's docstring.
        where.append(f"({user} IS NULL OR {user} NOT IN (SELECT * FROM audit_people))")  # noqa: S608
    if filters.object_id is not None:
        where.append(f"{qn(source.pk_column)} = %s")
        params.append(filters.object_id)
    if filters.date_from is not None:
        where.append(f"{qn('history_date')} >= %s")
        params.append(_london_midnight(filters.date_from))
    if filters.date_to is not None:
        where.append(f"{qn('history_date')} < %s")
        params.append(_london_midnight(filters.date_to + dt.timedelta(days=1)))
    if after is not None:
        # Rows after (date, source, id) in the order date DESC, source DESC, id DESC; the source is constant
        # in a branch, so the comparison is plain SQL that the history_date index serves.
        when, index, history_id = after
        if source.index < index:
            where.append(f"{qn('history_date')} <= %s")
            params.append(when)
        elif source.index == index:
            where.append(f"({qn('history_date')} < %s OR ({qn('history_date')} = %s AND {qn('history_id')} < %s))")
            params.extend([when, when, history_id])
        else:
            where.append(f"{qn('history_date')} < %s")
            params.append(when)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def _chosen_sources(filters: AuditFilters) -> list[Source]:
    return [s for s in sources()
            if (not filters.app_label or s.app_label == filters.app_label)
            and (not filters.model_label or s.label == filters.model_label)]


def _with(viewer: Person, filters: AuditFilters) -> tuple[str, list[Any]]:
    cte = _people_cte(viewer, filters)
    return (f"WITH audit_people AS ({cte[0]}) ", list(cte[1])) if cte else ("", [])


def audit_entry_count(viewer: Person, filters: AuditFilters) -> int:
    """How many changes match: one query, a COUNT per table summed."""
    chosen = _chosen_sources(filters)
    if not chosen:
        return 0
    qn = connection.ops.quote_name
    sql, params = _with(viewer, filters)
    branches = []
    for source in chosen:
        where, where_params = _branch_where(source, viewer, filters)
        branches.append(f"SELECT COUNT(*) AS n FROM {qn(source.history_model._meta.db_table)}{where}")  # noqa: S608
        params.extend(where_params)
    sql += "SELECT COALESCE(SUM(n), 0) FROM (" + " UNION ALL ".join(branches) + ") AS audit_counts"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def _rows(viewer: Person, filters: AuditFilters, *, offset: int, limit: int, after=None) -> list[dict[str, Any]]:
    """The page's rows of the UNION, newest first. PostgreSQL reads the branches through their history_date
    indexes in one merged, ordered stream and stops at the page's end. (Cutting each branch to its own newest
    rows first was measured slower: planning 78 sorted subqueries cost more than it saved.)"""
    chosen = _chosen_sources(filters)
    if not chosen or limit <= 0:
        return []
    qn = connection.ops.quote_name
    sql, params = _with(viewer, filters)
    branches = []
    for source in chosen:
        where, where_params = _branch_where(source, viewer, filters, after=after)
        branches.append(
            f"SELECT {qn('history_id')} AS history_id, {qn('history_date')} AS history_date, "  # noqa: S608
            f"{qn('history_type')} AS history_type, {qn('history_change_reason')} AS history_change_reason, "
            f"{qn('history_user_id')} AS history_user_id, CAST(%s AS integer) AS source, "
            f"CAST({qn(source.pk_column)} AS text) AS object_id "
            f"FROM {qn(source.history_model._meta.db_table)}{where}"
        )
        params.extend([source.index, *where_params])
    sql += ("SELECT * FROM (" + " UNION ALL ".join(branches) + ") AS audit "  # noqa: S608
            "ORDER BY history_date DESC, source DESC, history_id DESC LIMIT %s OFFSET %s")
    params.extend([limit, offset])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        if isinstance(row["history_date"], str):  # SQLite hands raw SQL's datetimes back as text (UTC)
            row["history_date"] = timezone.make_aware(parse_datetime(row["history_date"]), dt.UTC)
    return rows


# --- Entries: the page's rows with who, what and which fields changed ---------------------------------------


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


def _raw_changes(source: Source, record, previous) -> list[tuple[str, Any, Any]]:
    """(field name, old, new) of one historical row: against the row before it, or its first values."""
    names = list(source.diff_fields)
    if record.history_type == "+":
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


def _describe(viewer: Person, rows: list[dict[str, Any]]) -> list[AuditEntry]:
    """The rows as entries. Queries: per model on the page, its records with the records before them, and
    its live objects; per related model, the objects the changed foreign keys name; the people. None of it
    grows with the number of rows."""
    all_sources = sources()
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

    raw: dict[tuple[int, int], list[tuple[str, Any, Any]]] = {}
    wanted_related: dict[type[Model], set[Any]] = {}
    for key, record in records.items():
        source = all_sources[key[0]]
        changes = _raw_changes(source, record, previous.get(key))
        raw[key] = changes
        for name, old, new in changes:
            model_field = source.history_model._meta.get_field(name)
            if model_field.many_to_one or model_field.one_to_one:
                wanted_related.setdefault(model_field.related_model, set()).update(
                    v for v in (old, new) if v is not None)
    related: dict[tuple[type[Model], Any], str] = {}
    for model, pks in wanted_related.items():
        for obj in _with_related(model).filter(pk__in=pks):
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
            entry.url = url if url and navigation.may_open(viewer, url) else None
        for name, old, new in raw.get(key, []):
            model_field = source.history_model._meta.get_field(name)
            entry.changes.append(FieldChange(name=name, label=capfirst(str(model_field.verbose_name)),
                                             old=_shown(model_field, old, related),
                                             new=_shown(model_field, new, related)))
        entry.earlier_unknown = record is not None and record.history_type == "~" and key not in previous
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
