"""Serializers of the mobilisation API: shape only."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance import api_filters
from alliance.api_support import BoundedDateField, BoundedDateTimeField
from governance.models.board import Outcome
from mobilisation.models import Deliverable, DeliverableStatus, Dimension, MaturityPlanStatus
from mobilisation.selectors.deliverables import slippage_days

# --- Deliverables -------------------------------------------------------------------------------------------
# Shapes of the mobilisation deliverables API: shape only, the rules are in services.deliverables.

class DeliverableQuerySerializer(serializers.Serializer):
    dimension = api_filters.choice(Dimension.choices)
    status = api_filters.choice(DeliverableStatus.choices)


class DeliverableSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True,
                                         help_text="The owner organisation's slug, or null until one is assigned.")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    late_by_days = serializers.IntegerField(read_only=True, allow_null=True,
                                            help_text="Days after the due date it was approved; null if on time.")
    slippage_days = serializers.SerializerMethodField(
        help_text="Current due date minus the baseline due date, in days; null before the baseline.")

    class Meta:
        model = Deliverable
        fields = ["id", "title", "reference", "source", "due_period", "due_on", "baseline_due_on", "status",
                  "status_label", "owner", "dimension", "stage", "phase", "approved_on", "late_by_days",
                  "slippage_days"]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_slippage_days(self, deliverable: Deliverable) -> int | None:
        return slippage_days(deliverable)


# --- Maturity -----------------------------------------------------------------------------------------------
# Serializers of the maturity plan API: shape only.

class MaturityActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    owner = serializers.CharField(allow_null=True)
    due_on = BoundedDateField(allow_null=True)
    source = serializers.CharField()


class MaturityTargetsSerializer(serializers.Serializer):
    """Para 218's periods; each a level of para 219 ("base", "developing", "advanced") or null if not set."""

    six_months = serializers.CharField(allow_null=True)
    year_1 = serializers.CharField(allow_null=True)
    year_2 = serializers.CharField(allow_null=True)
    year_3 = serializers.CharField(allow_null=True)
    year_4 = serializers.CharField(allow_null=True)
    year_5 = serializers.CharField(allow_null=True)


class MaturityFocusAreaSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    targets = MaturityTargetsSerializer()
    actions = MaturityActionSerializer(many=True)


class MaturityDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_null=True)
    closed_at = BoundedDateTimeField(allow_null=True)


class MaturityPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MaturityPlanStatus.choices)
    summary = serializers.CharField()
    focus_areas = MaturityFocusAreaSerializer(many=True)
    decision = MaturityDecisionSerializer(allow_null=True)
    signed_off_on = BoundedDateField(allow_null=True)
    next_update_due = BoundedDateField(allow_null=True)

    @staticmethod
    def from_plan(plan, grid) -> dict:
        """The plan with its grid (mobilisation.selectors.maturity_grid) as the API shows it."""
        decision = plan.decision
        return {
            "id": plan.pk, "version": plan.version, "status": plan.status, "summary": plan.summary,
            "focus_areas": [{
                "code": row.focus_area.code, "group": row.focus_area.group, "title": row.focus_area.title,
                "description": row.focus_area.description,
                "targets": {cell.period: cell.level for cell in row.cells},
                "actions": [{"id": a.pk, "description": a.description, "owner": a.owner.name if a.owner else None,
                             "due_on": a.due_on, "source": a.source} for a in row.actions],
            } for group in grid for row in group.rows],
            "decision": ({"id": decision.pk, "outcome": decision.outcome, "closed_at": decision.closed_at}
                         if decision is not None else None),
            "signed_off_on": plan.signed_off_on, "next_update_due": plan.next_update_due,
        }
