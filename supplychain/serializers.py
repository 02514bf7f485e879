"""Serializers of the supply chain API: shape only, the rules are in the services."""

from __future__ import annotations

from rest_framework import serializers

from alliance import api_filters
from alliance.api_input import InputSerializer
from alliance.serializers import NamedPersonField
from supplychain.models import (
    ManagementPlan,
    Opportunity,
    Risk,
    RiskAction,
    RiskEscalation,
    RiskStatus,
    RiskStrategy,
    RiskUpdate,
    Segment,
    Supplier,
)
from supplychain.selectors.suppliers import AccreditationState
from supplychain.services.plans import plan_missing_items
from supplychain.services.risks import (
    ERR_RISK_IMPACT,
    ERR_RISK_LIKELIHOOD,
    ERR_RISK_STRATEGY,
    ERR_RISK_TITLE_REQUIRED,
)

# --- Plans --------------------------------------------------------------------------------------------------
# Shapes of the Supply Chain Management Plan API: shape only, the rules are in services.

class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()


class ManagementPlanSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    not_addressed = serializers.SerializerMethodField(help_text="Checklist codes the plan leaves blank (para 133).")

    class Meta:
        model = ManagementPlan
        fields = ["id", "organisation", "version", "status", "status_label", "sections", "not_addressed", "missing",
                  "comments", "change_note", "submitted_at", "decided_at"]

    def get_not_addressed(self, plan: ManagementPlan) -> list[str]:
        return plan_missing_items(plan.sections)


class PlanCreateSerializer(InputSerializer):
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict,
                                     help_text="{checklist code: text}, codes from the checklist endpoint.")
    change_note = serializers.CharField(required=False, allow_blank=True, default="")


class PlanReturnSerializer(InputSerializer):
    missing = serializers.ListField(child=serializers.CharField(), required=False, allow_null=True, default=None)
    comments = serializers.CharField(required=False, allow_blank=True, default="")


# --- Suppliers ----------------------------------------------------------------------------------------------
# API shapes of the supplier register and the procurement pipeline (read only).

class SupplierQuerySerializer(serializers.Serializer):
    """The filters of the supplier register (alliance.api_filters)."""

    category = api_filters.text(help_text="Only this category (any case).")
    segment = api_filters.choice(Segment.choices)
    sme = api_filters.QueryBooleanField(help_text="true: SMEs only; false: no SMEs; absent: both.")
    vcse = api_filters.QueryBooleanField(help_text="true: VCSEs only; false: no VCSEs; absent: both.")
    accreditation = api_filters.choice(AccreditationState.choices)


class OpportunityQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1, max_value=9999,
                                    help_text="Only the opportunities of this pipeline year.")


class SupplierSerializer(serializers.ModelSerializer):
    accreditation_state = serializers.ChoiceField(choices=AccreditationState.choices, read_only=True)
    accreditation_expires_on = serializers.DateField(read_only=True, allow_null=True)
    relationship_owner = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Supplier
        fields = ["id", "name", "company_number", "category", "segment", "is_sme", "is_vcse", "inducted_on",
                  "relationship_owner", "accreditation_state", "accreditation_expires_on"]


class OpportunitySerializer(serializers.ModelSerializer):
    supplier = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = Opportunity
        fields = ["id", "title", "category", "value", "route", "pipeline_year", "advert_on", "award_on",
                  "published_at", "supplier", "override_reason"]


# --- Risks --------------------------------------------------------------------------------------------------
# Shapes of the risk register API (/api/supplychain/risks/): serializers validate shape only; the rules (the
# owner of your alliance, who may update) are in supplychain.services.risks, whose error texts they reuse.

def _score_field(message: str, help_text: str, *, required: bool = True) -> serializers.IntegerField:
    errors = {key: message for key in ("invalid", "min_value", "max_value", "required", "null", "max_string_length")}
    extra = {} if required else {"required": False, "allow_null": True, "default": None}
    return serializers.IntegerField(min_value=1, max_value=5, error_messages=errors, help_text=help_text, **extra)


class RiskSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    stale = serializers.SerializerMethodField(help_text="Open and not updated for more than a month (seed 002).")

    class Meta:
        model = Risk
        fields = ["id", "reference", "title", "owner", "owner_name", "cause", "effect", "likelihood", "impact",
                  "score", "strategy", "financial_exposure", "status", "raised_on", "last_updated_on", "stale"]

    def get_stale(self, risk: Risk) -> bool:
        stale_before = self.context.get("stale_before")
        return stale_before is not None and risk.status == "open" and risk.last_updated_on < stale_before


class RiskUpdateSerializer(serializers.ModelSerializer):
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    score = serializers.SerializerMethodField()

    class Meta:
        model = RiskUpdate
        fields = ["id", "updated_on", "note", "likelihood", "impact", "score", "no_change", "updated_by"]

    def get_score(self, update: RiskUpdate) -> int:
        return update.likelihood * update.impact


class RiskActionSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RiskAction
        fields = ["id", "description", "owner", "due_on", "done_on", "progress"]


class RiskEscalationSerializer(serializers.ModelSerializer):
    escalated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RiskEscalation
        fields = ["id", "target", "reason", "escalated_by", "escalated_on"]


class RiskDetailSerializer(RiskSerializer):
    updates = RiskUpdateSerializer(many=True, read_only=True)
    actions = RiskActionSerializer(many=True, read_only=True)
    escalations = RiskEscalationSerializer(many=True, read_only=True)

    class Meta(RiskSerializer.Meta):
        fields = [*RiskSerializer.Meta.fields, "updates", "actions", "escalations"]


class RiskCreateSerializer(InputSerializer):
    title = serializers.CharField(max_length=300, error_messages={"blank": ERR_RISK_TITLE_REQUIRED,
                                                                  "required": ERR_RISK_TITLE_REQUIRED})
    owner = NamedPersonField(help_text="The owner's username: a person of your own organisation; the supply chain "
                             "team (the Alliance Manager and the Production Management Partner's people, para 116) "
                             "and the SRO name anyone in the Alliance. Anyone else is refused (400).")
    likelihood = _score_field(ERR_RISK_LIKELIHOOD, "1 (rare) to 5 (almost certain).")
    impact = _score_field(ERR_RISK_IMPACT, "1 (negligible) to 5 (severe).")
    strategy = serializers.ChoiceField(choices=RiskStrategy.choices,
                                       error_messages={"invalid_choice": ERR_RISK_STRATEGY})
    cause = serializers.CharField(required=False, allow_blank=True, default="")
    effect = serializers.CharField(required=False, allow_blank=True, default="")
    financial_exposure = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                                  default=None, help_text="Pounds sterling, if known.")


class RiskUpdateCreateSerializer(InputSerializer):
    note = serializers.CharField(allow_blank=True, default="", help_text="Required, even when nothing changed; "
                                 "with no_change an empty note reads “No change this month.”")
    likelihood = _score_field(ERR_RISK_LIKELIHOOD, "1 to 5; may be left out with no_change.", required=False)
    impact = _score_field(ERR_RISK_IMPACT, "1 to 5; may be left out with no_change.", required=False)
    no_change = serializers.BooleanField(default=False, help_text="No change this month: the likelihood and "
                                         "impact stay as they are and the update is still recorded (seed 002).")


class RiskQuerySerializer(serializers.Serializer):
    """The filters of the register (alliance.api_filters)."""

    stale = api_filters.QueryBooleanField(
        default=False, help_text="true: only open risks with no update for more than a month.")
    strategy = api_filters.choice(RiskStrategy.choices)
    status = api_filters.choice(RiskStatus.choices)
    owner = api_filters.text(help_text="The owner's username (an unknown one finds no risks).")
