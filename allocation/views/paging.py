"""Pagination of the optimisation lists (business cases, minor changes), with the filter kept in the page links."""

from __future__ import annotations

from django.core.paginator import Paginator

PAGE_SIZE = 50


def paginate(request, queryset):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()
