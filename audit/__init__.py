"""The audit: one history across everything. The reads behind the audit page (selectors, docs/architecture.md) are
audit/sources.py (the UNION and its filters) and audit/entries.py (the page's rows and their changes).

Every record of a decision, vote, score, plan or status change is tracked by django-simple-history, one
historical table per model (about 80). The audit list is one SQL ``UNION ALL`` over those tables of the
columns they share (which row, when, how, why, by whom, which object), with every filter pushed into each
branch and a filter on app or object type simply leaving branches out. Only the rows of the page shown are then
read as records, with the record before each, to work out which fields changed from what to what: a fixed
number of queries per model on the page, never one per row.

Who may read it is ``audit.permissions.require_audit_viewer`` (``alliance.permissions.can_view_audit``); which
rows, the visibility rule of the record each describes (alliance/visibility.py, per-record authorisation, OWASP
ASVS 8.2.2), applied in the database in each branch:

* a person sees a record's history only if they may open the record now (its page, or the Django admin for an
  administrator where the model is registered there): the app's own selector, one rule per tracked model;
* versions of a state they could never see stay hidden even once the record is open to them: a partner's
  Supply Chain Management Plan is its own organisation's while a draft, so the others see its history from its
  submission on, and a version that follows a hidden one shows its values, never a diff against the draft;
* a deleted record's history shows to those who could read its last version (the one recorded at its deletion);
* a record another record's changed field names shows by name only to those who may open it ("#id" otherwise).

The changes made by people of another alliance's organisations are left out too (a person picked by id).
"""
