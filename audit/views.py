"""The audit page and its CSV export: thin, the reads are audit/sources.py's and audit/entries.py's."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from alliance.csvfiles import csv_writer
from audit.entries import AuditLog, audit_export
from audit.forms import AuditFilterForm
from audit.permissions import require_audit_viewer

AUDIT_PAGE_SIZE = 50
EXPORT_HEADER = ["when", "who", "organisation", "app", "object type", "object id", "object", "action", "field",
                 "from", "to", "reason"]


def _form(request) -> AuditFilterForm:
    require_audit_viewer(request.user)
    data = request.GET.copy()
    data.pop("page", None)
    return AuditFilterForm(data or None, viewer=request.user)


def audit_list(request):
    form = _form(request)
    valid = not form.is_bound or form.is_valid()
    page = None
    if valid:  # a refused filter shows its error and nothing else until it is fixed
        page = Paginator(AuditLog(request.user, form.filters()), AUDIT_PAGE_SIZE).get_page(
            request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "alliance/audit.html", context, status=200 if valid else 400)


class _Echo:
    """A file-like object whose write returns the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def audit_csv(request):
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('audit')}?{request.GET.urlencode()}")
    writer = csv_writer(_Echo())
    entries = audit_export(request.user, form.filters())

    def rows():
        yield writer.writerow(EXPORT_HEADER)
        for entry in entries:
            start = [timezone.localtime(entry.when).isoformat(timespec="seconds"), entry.who, entry.organisation,
                     entry.app_label, entry.type_name, entry.object_id, entry.object_label, entry.action]
            if not entry.changes:
                yield writer.writerow([*start, "", "", "", entry.reason])
            for change in entry.changes:
                yield writer.writerow([*start, change.label, change.old, change.new, entry.reason])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-history.csv"'
    return response
