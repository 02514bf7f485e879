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

from alliance.audit.entries import AuditEntry, AuditLog, FieldChange, audit_entries, audit_export
from alliance.audit.sources import (
    ACTIONS,
    ERR_AUDIT_DATE_ORDER,
    EXPORT_BATCH,
    AuditFilters,
    Source,
    app_choices,
    audit_entry_count,
    organisations_in_scope,
    people_in_scope,
    source_for,
    sources,
    type_choices,
)

__all__ = [
    "ACTIONS", "ERR_AUDIT_DATE_ORDER", "EXPORT_BATCH", "AuditEntry", "AuditFilters", "AuditLog", "FieldChange", "Source",
    "app_choices", "audit_entries", "audit_entry_count", "audit_export", "organisations_in_scope", "people_in_scope",
    "source_for", "sources", "type_choices",
]
