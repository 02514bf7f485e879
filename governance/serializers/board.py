"""API shapes of the Board (issue 3's contract: paths, fields and values are promises to clients)."""

from __future__ import annotations

from rest_framework import serializers

from alliance.models import Organisation
from governance import selectors
from governance.models import Choice, Decision, DecisionType, Vote


class DecisionTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionType
        fields = ["code", "name", "authority", "paragraph", "is_active"]


class DecisionTypeWriteSerializer(serializers.Serializer):
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
            cache[decision.pk] = selectors.decision_votes(decision)
        return cache[decision.pk]

    def get_votes(self, decision) -> list[dict]:
        return VoteSerializer(self._votes(decision), many=True).data

    def _voters(self, decision):
        # The voting organisations are the same for every decision of an alliance: read once per response.
        cache = self.context.setdefault("_organisations", {})
        if decision.alliance_id not in cache:
            cache[decision.alliance_id] = selectors.voting_organisations(decision.alliance_id)
        return selectors.voters_of(decision, cache[decision.alliance_id])

    def get_tally(self, decision) -> dict[str, int]:
        return selectors.decision_tally(decision, self._votes(decision), self._voters(decision)).as_dict()


class DecisionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    decision_type = serializers.SlugField(help_text="The code of a Decision Matrix row.")
    closes_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)


class VoteCastSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=Choice.choices, help_text="For a client decision: for = approve, against = reject.")
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True, default=None,
        help_text="Defaults to your own organisation; any other is refused.",
    )


class DecisionQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["open", "closed"], required=False)
    decision_type = serializers.SlugField(required=False)
    outcome = serializers.ChoiceField(choices=["approved", "rejected", "not_taken"], required=False)
    q = serializers.CharField(required=False)
    closed_from = serializers.DateField(required=False)
    closed_to = serializers.DateField(required=False)
