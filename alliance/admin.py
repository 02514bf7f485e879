"""Administrators manage organisations, people, roles and reference data here; every change is kept by
django-simple-history and shown by the History button of each object."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from alliance import services
from alliance.models import (
    Alliance,
    CalendarToken,
    Lot,
    Notification,
    Obligation,
    Organisation,
    Person,
    Region,
    RoleAssignment,
)

admin.site.site_header = "Alliance governance administration"
admin.site.site_title = "Alliance administration"


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0


@admin.register(Alliance)
class AllianceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "start_date"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LotInline, RegionInline]


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "function", "alliance"]
    list_filter = ["alliance"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "lot2_area", "lot3_area", "alliance"]
    list_filter = ["alliance", "lot2_area", "lot3_area"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "lot", "area", "is_joint_venture", "member_since", "member_until", "alliance"]
    list_filter = ["alliance", "kind", "lot__number"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class RoleAssignmentFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        person = self.instance
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            role = form.cleaned_data["role"]
            if role in seen:
                raise ValidationError(f"{person} holds the role {role} twice.")
            seen.add(role)
            try:
                services.role_assignment_validate(person=person, role=role, exclude_pk=form.instance.pk)
            except ValidationError as error:
                form.add_error("role", error)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    formset = RoleAssignmentFormSet
    fields = ["role"]
    extra = 0


@admin.register(Person)
class PersonAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "organisation", "is_active", "is_staff"]
    list_filter = ["organisation__alliance", "organisation", "role_assignments__role", "is_active", "is_staff"]
    list_select_related = ["organisation"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Alliance", {"fields": ("organisation", "job_title")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("Alliance", {"fields": ("organisation", "first_name", "last_name", "email")}),
    )
    inlines = [RoleAssignmentInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for assignment in formset.deleted_objects:
            assignment.delete()
        for assignment in instances:
            # Validated by the formset; the organisation always follows the person's (see the model).
            assignment.organisation_id = form.instance.organisation_id
            assignment.save()
        formset.save_m2m()
        return None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.person_roles_follow_organisation(person=form.instance)


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """For records that change only through their services (obligations, decisions, votes, meetings): the
    admin shows them and their history, so that every change carries its reason and its rules."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyHistoryAdmin):
    """Obligations change through the What's due pages and the workflows that own them."""

    list_display = ["title", "kind", "due_date", "status", "responsible_organisation", "responsible_person", "paragraph"]
    list_filter = ["alliance", "status", "kind"]
    search_fields = ["title", "paragraph"]
    date_hierarchy = "due_date"
    list_select_related = ["responsible_organisation", "responsible_person"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["person", "created_at", "revoked_at"]
    exclude = ["key"]
    readonly_fields = ["person", "created_at", "revoked_at"]

    def has_add_permission(self, request):
        return False

