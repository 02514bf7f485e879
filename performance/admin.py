"""The scorecard in Django's admin: read only, with history. Scores change through the grid, CSV or API (with
a reason once frozen), thresholds only through the Board (paras 147-148)."""

from __future__ import annotations

from django.contrib import admin

from alliance.admin import ReadOnlyHistoryAdmin
from performance.models import FrameworkChange, ImprovementProcess, Metric, Quarter, Score, ScoreBand


class ScoreBandInline(admin.TabularInline):
    model = ScoreBand
    extra = 0
    can_delete = False
    readonly_fields = ["score", "threshold"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Metric)
class MetricAdmin(ReadOnlyHistoryAdmin):
    list_display = ["order", "code", "title", "informs_intervention", "direction"]
    list_filter = ["alliance", "informs_intervention", "imperative"]
    inlines = [ScoreBandInline]


@admin.register(Quarter)
class QuarterAdmin(ReadOnlyHistoryAdmin):
    list_display = ["alliance", "year", "number", "status", "frozen_at"]
    list_filter = ["alliance", "status"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyHistoryAdmin):
    list_display = ["quarter", "scheme", "metric", "score", "raw_value", "correction_reason"]
    list_filter = ["quarter"]
    list_select_related = ["quarter", "scheme", "metric"]


@admin.register(ImprovementProcess)
class ImprovementProcessAdmin(ReadOnlyHistoryAdmin):
    list_display = ["scenario", "level", "tier", "status", "opened_on", "termination_right_on"]
    list_filter = ["alliance", "scenario", "status"]


@admin.register(FrameworkChange)
class FrameworkChangeAdmin(ReadOnlyHistoryAdmin):
    list_display = ["kind", "status", "proposed_at"]
