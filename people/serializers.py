"""Shapes of the people API (/api/people/): serializers validate shape only; rules are in services."""

from __future__ import annotations

from rest_framework import serializers

from alliance import api_filters
from alliance.api_input import InputSerializer
from people.models import KeyPersonRole, Nomination, NominationRoute, NominationStatus
from people.permissions import can_view_cv


class KeyPersonRoleSerializer(serializers.ModelSerializer):
    function = serializers.CharField(read_only=True, help_text="The function (lot) whose partners nominate, or "
                                     "\"Open to all partners\" for para 51's roles.")
    lot = serializers.IntegerField(source="lot.number", read_only=True, allow_null=True, default=None)
    selection = serializers.ChoiceField(choices=["partner_specific", "lot_specific", "pan_alliance"], read_only=True)
    alliance_manager_approval = serializers.SerializerMethodField(
        help_text="Partner-specific roles (marked * in para 49) are appointed on the Alliance Manager's approval "
        "(paras 50, 57); the others by the Board (para 59).")

    class Meta:
        model = KeyPersonRole
        fields = ["code", "title", "function", "selection", "lot", "paragraph", "alliance_manager_approval"]

    def get_alliance_manager_approval(self, role: KeyPersonRole) -> bool:
        return role.is_partner_specific


class NominationSerializer(serializers.ModelSerializer):
    role = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    route = serializers.ChoiceField(choices=NominationRoute.choices, read_only=True)
    hub_service = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    cv = serializers.SerializerMethodField(help_text="Where to download the CV; null once it is deleted, or when "
                                           "you may not open it (while before the Board, only the person voting "
                                           "for each organisation may).")

    class Meta:
        model = Nomination
        fields = ["id", "role", "organisation", "person_name", "status", "status_label", "route", "hub_service",
                  "full_time", "statement", "comments", "submitted_at", "decided_at", "cv", "cv_name", "cv_size"]

    def get_cv(self, nomination: Nomination) -> str | None:
        if not nomination.has_cv:
            return None
        request = self.context.get("request")
        if request is not None and not can_view_cv(request.user, nomination):
            return None
        return f"/api/people/nominations/{nomination.pk}/cv/"


class NominationCreateSerializer(InputSerializer):
    """Multipart form data: the role's code, the person, their availability, a statement and the CV file."""

    role = serializers.SlugField(help_text="A role code from /api/people/roles/.")
    person_name = serializers.CharField(max_length=200)
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    full_time = serializers.BooleanField(help_text="Must be true: nominees work full time in the Alliance (para 55).")
    cv = serializers.FileField(allow_empty_file=True, help_text="PDF or Word (.docx), up to 10 MB; checked by content.")


class NominationQuerySerializer(serializers.Serializer):
    route = api_filters.choice(NominationRoute.choices)
    status = api_filters.choice(NominationStatus.choices)
