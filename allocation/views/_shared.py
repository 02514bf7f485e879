"""What the optimisation pages share: the member check, pagination, and taking one step from a record's page
(business case or minor change). Written once here; imported by ``business_cases`` and ``minor_changes``."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from alliance.permissions import alliance_id_of
from alliance.views import record_step as alliance_record_step
from allocation import permissions

PAGE_SIZE = 50


def member(request) -> int:
    if not permissions.can_view_allocation(request.user):
        raise PermissionDenied("Only members of the alliance can see its allocation.")
    return alliance_id_of(request.user)


def paginate(request, queryset):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


def record_step(request, pk: int, form_class, key: str, call: Callable, **page):
    """alliance.views.record_step for a member of the alliance (see there)."""
    member(request)
    return alliance_record_step(request, pk, form_class, key, call, **page)
