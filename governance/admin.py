from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from alliance.admin import ReadOnlyHistoryAdmin
from governance.models.board import Decision, DecisionType, Meeting, Vote


@admin.register(DecisionType)
class DecisionTypeAdmin(SimpleHistoryAdmin):
    """The Decision Matrix: editable here and on the Board's matrix page; every version is kept."""

    list_display = ["name", "code", "authority", "paragraph", "is_active", "alliance"]
    list_filter = ["alliance", "authority", "is_active"]
    search_fields = ["name", "code", "paragraph"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "decision_type", "authority", "status", "outcome", "closes_at"]
    list_filter = ["alliance", "status", "outcome", "authority"]
    search_fields = ["title"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyHistoryAdmin):
    list_display = ["decision", "organisation", "choice", "cast_by", "capacity", "cast_at"]
    list_select_related = ["decision", "organisation", "cast_by"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["title", "starts_at", "status", "minutes_approved_at"]
    list_filter = ["alliance", "status"]
