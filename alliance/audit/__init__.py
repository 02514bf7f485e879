"""One history across everything: the reads behind the audit page (selectors, CONVENTIONS.md).

Every record of a decision, vote, score, plan or status change is tracked by django-simple-history, one
historical table per model (about 80). The audit list is one SQL ``UNION ALL`` over those tables of the
columns they share (which row, when, how, why, by whom, which object), with every filter pushed into each
branch and a filter on app or object type simply leaving branches out. Only the rows of the page shown are then
read as records, with the record before each, to work out which fields changed from what to what: a fixed
number of queries per model on the page, never one per row.

Who may read it is ``permissions.can_view_audit``; which rows, the visibility rule of the record each describes
(alliance/visibility.py, per-record authorisation, OWASP ASVS 8.2.2), applied in the database in each branch:

* a person sees a record's history only if they may open the record now (its page, or the Django admin for an
  administrator where the model is registered there): the app's own selector, one rule per tracked model;
* versions of a state they could never see stay hidden even once the record is open to them: a partner's
  Supply Chain Management Plan is its own organisation's while a draft, so the others see its history from its
  submission on, and a version that follows a hidden one shows its values, never a diff against the draft;
* a deleted record's history shows to those who could read its last version (the one recorded at its deletion);
* a record another record's changed field names shows by name only to those who may open it ("#id" otherwise).

The changes made by people of another alliance's organisations are left out too (a person picked by id).
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
