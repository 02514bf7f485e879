"""Shapes of the mobilisation deliverables API: shape only, the rules are in services.deliverables."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance import api_filters
from mobilisation.models import Deliverable, DeliverableStatus, Dimension
from mobilisation.selectors.deliverables import slippage_days

__all__ = ["DeliverableQuerySerializer", "DeliverableSerializer"]


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
