"""Administrators keep the catalogues of key person roles (paras 49, 51) and Production Hub services (Table 3).

Nominations, CVs and appointments are not in the admin: CVs are personal data, read only through the pages
that check permission and log every access, and appointments change only through the selection workflow.
"""

from __future__ import annotations

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from alliance.admin import AllianceAdmin
from people.catalogue import catalogue_seed
from people.models import HubService, KeyPersonRole


@admin.register(KeyPersonRole)
class KeyPersonRoleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "lot", "selection", "paragraph", "order", "is_active", "alliance"]
    list_filter = ["alliance", "selection", "lot", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["title", "code"]


@admin.register(HubService)
class HubServiceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "sub_function", "client_presence", "order", "is_active", "alliance"]
    list_filter = ["alliance", "sub_function", "client_presence", "is_active"]
    list_editable = ["client_presence", "order", "is_active"]
    search_fields = ["name", "code"]


@admin.action(description="Add the key person roles (paras 49, 51) and Production Hub services (Table 3)")
def seed_people_catalogue(modeladmin, request, queryset) -> None:
    for alliance in queryset:
        roles, services = catalogue_seed(alliance)
        messages.success(request, f"{alliance}: {roles} roles and {services} services added.")


# The alliance's own admin page offers the action (the core's admin knows nothing of key persons).
AllianceAdmin.actions = [*(AllianceAdmin.actions or []), seed_people_catalogue]
