"""The audit list's SQL: the historical tables as sources, the filters, one UNION ALL for a page, the count."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst

from alliance import permissions, visibility
from alliance.models import Organisation, Person

if TYPE_CHECKING:
    from django.db.models import Field, Model

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
        return str(capfirst(self.model._meta.verbose_name))

    @property
    def pk_name(self) -> str:
        return self.model._meta.pk.name

    @property
    def pk_column(self) -> str:
        # The historical copy of a concrete primary key: a concrete field, so it has a column.
        return cast("Field[Any, Any]", self.history_model._meta.get_field(self.pk_name)).column

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
        viewer.__dict__["_audit_outsiders"] = cached
    return cached


def _london_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def _sql_time(value: dt.datetime):
    """An aware time as a parameter of the raw SQL below, written as the ORM writes stored ones: PostgreSQL takes
    it as it is; SQLite stores UTC text without an offset and compares text, so a London time with its offset
    ("… 00:00:00+01:00") would fall an hour off, and even a UTC one would sort after the stored equal time."""
    return connection.ops.adapt_datetimefield_value(value)


def _read_time(value) -> dt.datetime:
    """A history_date as the raw SQL hands it back, made aware: PostgreSQL gives aware datetimes; SQLite gives
    naive ones (its converter, when the column's declared type reaches the cursor) or text, in the
    connection's time zone (UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, connection.timezone)


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


def _subquery(queryset) -> tuple[str, list[Any]] | None:
    """A queryset as SQL for ``IN (...)``; None when it can match nothing (``.none()``)."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, list(params)


def _in(column: str, subquery: tuple[str, list[Any]]) -> tuple[str, list[Any]]:
    """``column IN (subquery)``, on PostgreSQL as ``= ANY(ARRAY(...))``: a filter on each row, read once, that
    keeps the branch's newest-first index scan (see ``alliance.visibility.InIds``)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({subquery[0]}))", subquery[1]
    return f"{column} IN ({subquery[0]})", subquery[1]


def _visible_rows(source: Source, viewer: Person) -> tuple[str, list[Any]] | None:
    """The condition a branch's rows meet to be shown to the viewer (alliance/visibility.py): "" for every row,
    None for none (the branch is left out).

    A row is shown when the viewer may open its record now (the app's rule, in the database: ``IN`` the
    record ids of the rule's queryset) and, for a model whose rule hides versions, the row itself is a version
    the viewer may read (a partner's draft plan is its own); or when its record is deleted and the version
    recorded at the deletion is one the viewer may read.

    Worked out once per process for each model and each kind of viewer: a rule's SQL is a function of who the
    person is (alliance/visibility.py: their id, organisation, alliance, roles and flags), never of the data,
    whose values the subqueries read when the query runs. Building ~80 of them took ~40 ms a request."""
    return _visibility_for(source.index, _viewer_key(viewer), viewer)


def _viewer_key(viewer: Person) -> tuple:
    """What a visibility rule may depend on (alliance/visibility.py), the Django admin's permissions included."""
    admin_permissions = (frozenset(viewer.get_all_permissions())
                         if viewer.is_staff and not viewer.is_superuser else frozenset())
    return (viewer.pk, viewer.organisation_id, permissions.alliance_id_of(viewer), permissions.roles_of(viewer),
            viewer.is_active, viewer.is_staff, viewer.is_superuser, admin_permissions)


_CONDITIONS: dict[tuple, tuple[str, list[Any]] | None] = {}
_CONDITIONS_MAX = 20_000  # about 80 per kind of viewer; emptied when full
_UNKNOWN = object()


def _visibility_for(index: int, key: tuple, viewer: Person) -> tuple[str, list[Any]] | None:
    if connection.in_atomic_block:
        # Inside a transaction (a test, a service) people and roles may be mid-change: this viewer's own.
        cache = viewer.__dict__.setdefault("_audit_visibility", {})
        if index not in cache:
            cache[index] = _visibility_condition(sources()[index], viewer)
        return cache[index]
    found = _CONDITIONS.get((index, key), _UNKNOWN)
    if found is _UNKNOWN:  # two threads may both build it: the same answer
        found = _visibility_condition(sources()[index], viewer)
        if len(_CONDITIONS) >= _CONDITIONS_MAX:
            _CONDITIONS.clear()
        _CONDITIONS[index, key] = found
    return cast("tuple[str, list[Any]] | None", found)


def _row_condition(source: Source, versions: Q) -> tuple[str, list[Any]] | None:
    """A rule's ``Q`` on a historical row as the branch's own WHERE (its columns, qualified by the table's name,
    which is the branch's FROM): no join and no OR of subqueries, so PostgreSQL still reads each table newest
    first through its history_date index and stops at the page's end. A ``Q`` that would need a join is asked
    as ``history_id IN (...)`` instead."""
    query = source.history_model._default_manager.filter(versions).query
    compiler = query.get_compiler(connection=connection)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    if len([alias for alias, count in query.alias_refcount.items() if count]) > 1:
        subquery = _subquery(source.history_model._default_manager.filter(versions).values("history_id"))
        return None if subquery is None else _in(connection.ops.quote_name("history_id"), subquery)
    return sql, list(params)


def _visibility_condition(source: Source, viewer: Person) -> tuple[str, list[Any]] | None:
    model, history = source.model, source.history_model._default_manager
    if visibility.admin_may_view(viewer, model):
        return "", []  # every record, in the Django admin
    rule = visibility.rule_for(model)
    if rule is None:
        return None  # a model nobody said who may open: nobody (fail closed)
    qn = connection.ops.quote_name
    pk = qn(source.pk_column)
    versions = rule.history(viewer) if rule.history is not None else None
    if versions is not None and rule.judged_by_version(viewer):
        return _row_condition(source, versions)
    version_sql = _subquery(history.filter(versions).values("history_id")) if versions is not None else None
    if rule.hide_versions and version_sql is None:
        return None
    parts, params = [], []
    records = [_subquery(rule.records(viewer).values("pk"))]
    if versions is not None:  # deleted records whose last version the viewer may read
        records.append(_subquery(history.filter(versions, history_type="-").values(source.pk_name)))
    for subquery in filter(None, records):
        sql, sql_params = _in(pk, subquery)
        if rule.hide_versions and version_sql is not None:  # (hide_versions without version_sql returned above)
            in_versions = _in(qn("history_id"), version_sql)
            sql, sql_params = f"{sql} AND {in_versions[0]}", [*sql_params, *in_versions[1]]
        parts.append(sql)
        params.extend(sql_params)
    if not parts:
        return None
    return "(" + " OR ".join(f"({part})" for part in parts) + ")", params


def _branch_where(source: Source, viewer: Person, filters: AuditFilters, *, after=None) -> tuple[str, list[Any]]:
    """The WHERE of one table's branch: the filters, and (for the export) the keyset of the last row read."""
    qn = connection.ops.quote_name
    user = qn("history_user_id")
    where, params = [], []
    visible = _visible_rows(source, viewer)
    if visible and visible[0]:
        where.append(visible[0])
        params.extend(visible[1])
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
        params.append(_sql_time(_london_midnight(filters.date_from)))
    if filters.date_to is not None:
        where.append(f"{qn('history_date')} < %s")
        params.append(_sql_time(_london_midnight(filters.date_to + dt.timedelta(days=1))))
    if after is not None:
        # Rows after (date, source, id) in the order date DESC, source DESC, id DESC; the source is constant
        # in a branch, so the comparison is plain SQL that the history_date index serves.
        when, index, history_id = after
        when = _sql_time(when)
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


def _chosen_sources(viewer: Person, filters: AuditFilters) -> list[Source]:
    """The tables the filters pick, less those of which the viewer may open no record."""
    return [s for s in sources()
            if (not filters.app_label or s.app_label == filters.app_label)
            and (not filters.model_label or s.label == filters.model_label)
            and _visible_rows(s, viewer) is not None]


def _with(viewer: Person, filters: AuditFilters) -> tuple[str, list[Any]]:
    cte = _people_cte(viewer, filters)
    return (f"WITH audit_people AS ({cte[0]}) ", list(cte[1])) if cte else ("", [])


def audit_entry_count(viewer: Person, filters: AuditFilters) -> int:
    """How many changes match: one query, a COUNT per table summed."""
    chosen = _chosen_sources(viewer, filters)
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
    rows first was measured slower: planning 78 sorted subqueries cost more than it saved.)

    A branch's conditions (who may see its rows, the filters) are a column of it, ``audit_match``, that the
    outer query keeps: PostgreSQL flattens a UNION ALL of plain selects and pushes the outer condition down to
    each table, where the newest-first index scan applies it to each row; a WHERE inside a branch stops the
    flattening, and the page becomes a sort of every matching row (measured at 50,000 rows: 140 ms instead
    of 7 ms for the first page)."""
    chosen = _chosen_sources(viewer, filters)
    if not chosen or limit <= 0:
        return []
    qn = connection.ops.quote_name
    sql, params = _with(viewer, filters)
    branches = []
    for source in chosen:
        where, where_params = _branch_where(source, viewer, filters, after=after)
        match = where.removeprefix(" WHERE ") or "1 = 1"
        branches.append(
            f"SELECT {qn('history_id')} AS history_id, {qn('history_date')} AS history_date, "  # noqa: S608
            f"{qn('history_type')} AS history_type, {qn('history_change_reason')} AS history_change_reason, "
            f"{qn('history_user_id')} AS history_user_id, CAST(%s AS integer) AS source, "
            f"CAST({qn(source.pk_column)} AS text) AS object_id, ({match}) AS audit_match "
            f"FROM {qn(source.history_model._meta.db_table)}"
        )
        params.extend([source.index, *where_params])
    sql += (f"SELECT {', '.join(COLUMNS)} FROM (" + " UNION ALL ".join(branches) + ") AS audit "  # noqa: S608
            "WHERE audit_match ORDER BY history_date DESC, source DESC, history_id DESC LIMIT %s OFFSET %s")
    params.extend([limit, offset])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["history_date"] = _read_time(row["history_date"])
    return rows


# --- Entries: the page's rows with who, what and which fields changed ---------------------------------------
