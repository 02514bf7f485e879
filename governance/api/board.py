"""REST API of the Board under /api/governance/. Thin: parse, call one service or selector, answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from alliance.api_filters import read_query
from alliance.api_input import InputSerializer
from alliance.api_support import BoundedDateField, BoundedDateTimeField
from alliance.models import OrganisationKind
from alliance.selectors import organisations_by_slug
from governance import permissions
from governance.models.board import Choice, Decision, DecisionType, Vote
from governance.selectors import board as board_selectors
from governance.services import board as board_services

# --- Serializers (beside their views) ------------------------------------------------------------------


class DecisionTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionType
        fields = ["code", "name", "authority", "paragraph", "is_active"]


class DecisionTypeWriteSerializer(InputSerializer):
    code = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=200)
    authority = serializers.ChoiceField(choices=DecisionType._meta.get_field("authority").choices)
    paragraph = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class VoteSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    cast_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Vote
        fields = ["organisation", "choice", "cast_by", "capacity", "cast_at"]


class DecisionSerializer(serializers.ModelSerializer):
    decision_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    votes = serializers.SerializerMethodField()
    tally = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id", "title", "description", "decision_type", "authority", "rule_paragraph", "status", "outcome",
            "closes_at", "meeting", "tabled_at", "closed_at", "votes", "tally",
        ]

    def _votes(self, decision):
        cache = self.context.setdefault("_votes", {})
        if decision.pk not in cache:
            cache[decision.pk] = board_selectors.decision_votes(decision)
        return cache[decision.pk]

    def get_votes(self, decision) -> list[dict]:
        return VoteSerializer(self._votes(decision), many=True).data

    def _voters(self, decision):
        # The voting organisations are the same for every decision of an alliance voted on the same day (its
        # members then, paras 12, 95-98): read once per alliance and day per response.
        cache = self.context.setdefault("_organisations", {})
        key = (decision.alliance_id, board_selectors.voting_day(decision))
        if key not in cache:
            cache[key] = board_selectors.voting_organisations(*key)
        return board_selectors.voters_of(decision, cache[key])

    def get_tally(self, decision) -> dict[str, int]:
        return board_selectors.decision_tally(decision, self._votes(decision), self._voters(decision)).as_dict()


class DecisionCreateSerializer(InputSerializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    decision_type = serializers.SlugField(help_text="The code of a Decision Matrix row.")
    closes_at = BoundedDateTimeField(required=False, allow_null=True, default=None)
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)


class VoteCastSerializer(InputSerializer):
    choice = serializers.ChoiceField(choices=Choice.choices, help_text="For a client decision: for = approve, against = reject.")
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=organisations_by_slug(), required=False, allow_null=True, default=None,
        help_text="Defaults to your own organisation; any other is refused.",
    )


class DecisionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", "closed"], required=False)
    decision_type = serializers.SlugField(required=False)
    outcome = serializers.ChoiceField(choices=["approved", "rejected", "not_taken"], required=False)
    q = serializers.CharField(required=False)
    closed_from = BoundedDateField(required=False)
    closed_to = BoundedDateField(required=False)


class VotingOrganisationSerializer(serializers.Serializer):
    """An organisation with a seat on the Alliance Board today (a governance.selectors.Seat)."""

    slug = serializers.SlugField(source="organisation.slug", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.ChoiceField(source="organisation.kind", choices=OrganisationKind.choices, read_only=True)
    since = serializers.DateField(read_only=True, help_text="The day its seat began: a founding member's is the "
                                                            "Alliance Start Date, a new partner's its start date.")


# --- Views --------------------------------------------------------------------------------------------


class DecisionTypeListView(APIView):
    @extend_schema(responses=DecisionTypeSerializer(many=True), summary="The Decision Matrix")
    def get(self, request):
        alliance = permissions.require_board_member(request.user, permissions.ERR_BOARD_API)
        return Response(DecisionTypeSerializer(board_selectors.decision_types(alliance.pk), many=True).data)

    @extend_schema(request=DecisionTypeWriteSerializer, responses={201: DecisionTypeSerializer},
                   summary="Add a row to the Decision Matrix (Alliance Manager, administrator)")
    def post(self, request):
        alliance = permissions.require_board_member(request.user, permissions.ERR_BOARD_API)
        serializer = DecisionTypeWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = board_services.decision_type_save(actor=request.user, alliance=alliance, **serializer.validated_data)
        return Response(DecisionTypeSerializer(row).data, status=status.HTTP_201_CREATED)


class DecisionListView(ListAPIView):
    serializer_class = DecisionSerializer

    def get_queryset(self):
        permissions.require_board_member(self.request.user, permissions.ERR_BOARD_API)
        data = read_query(self.request, DecisionQuerySerializer)
        return board_selectors.with_votes(board_selectors.board_decisions(
            self.request.user, status=data.get("status"), decision_type=data.get("decision_type"),
            outcome=data.get("outcome"), search=data.get("q"), closed_from=data.get("closed_from"),
            closed_to=data.get("closed_to"),
        ))

    @extend_schema(parameters=[DecisionQuerySerializer], summary="Decisions (open ones I have not voted on first)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=DecisionCreateSerializer, responses={201: DecisionSerializer},
                   summary="Table a decision (Alliance Manager or SRO)")
    def post(self, request):
        alliance = permissions.require_board_member(request.user, permissions.ERR_BOARD_API)
        serializer = DecisionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision_type = board_selectors.decision_types(alliance.pk).filter(code=data["decision_type"]).first()
        if decision_type is None:
            raise ValidationError({"decision_type": [f"No decision type {data['decision_type']!r} in the Decision Matrix."]})
        meeting = board_selectors.meeting_for(request.user, data["meeting"]) if data["meeting"] else None
        decision = board_services.decision_table(
            actor=request.user, alliance=alliance, title=data["title"], description=data["description"],
            decision_type=decision_type, closes_at=data["closes_at"], meeting=meeting,
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


def _visible_decision(request, pk: int):
    permissions.require_board_member(request.user, permissions.ERR_BOARD_API)
    return board_selectors.decision_for(request.user, pk)  # another alliance's decision: 404


class DecisionDetailView(APIView):
    @extend_schema(responses=DecisionSerializer, summary="A decision with its votes and tally")
    def get(self, request, pk: int):
        return Response(DecisionSerializer(_visible_decision(request, pk)).data)


class DecisionVoteView(APIView):
    @extend_schema(request=VoteCastSerializer, responses=DecisionSerializer,
                   summary="Cast or change my organisation's vote")
    def post(self, request, pk: int):
        decision = _visible_decision(request, pk)
        serializer = VoteCastSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decision = board_services.vote_cast(actor=request.user, decision=decision, **serializer.validated_data)
        return Response(DecisionSerializer(decision).data)


class DecisionCloseView(APIView):
    @extend_schema(request=None, responses=DecisionSerializer, summary="Close now (chair or Alliance Manager)")
    def post(self, request, pk: int):
        decision = board_services.decision_close(actor=request.user, decision=_visible_decision(request, pk))
        return Response(DecisionSerializer(decision).data)


class VotingOrganisationListView(APIView):
    @extend_schema(responses=VotingOrganisationSerializer(many=True),
                   summary="The organisations that vote today: the Alliance's members (paras 12, 35, 95-98)")
    def get(self, request):
        alliance = permissions.require_board_member(request.user, permissions.ERR_BOARD_API)
        return Response(VotingOrganisationSerializer(board_selectors.board_seats(alliance.pk), many=True).data)
