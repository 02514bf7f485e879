"""API shapes of the Board (issue 3's contract: paths, fields and values are promises to clients)."""

from __future__ import annotations

from rest_framework import serializers

from alliance.api_input import InputSerializer
from alliance.api_support import BoundedDateField, BoundedDateTimeField
from alliance.models import Organisation, OrganisationKind
from governance import selectors
from governance.models import Choice, Decision, DecisionType, Vote


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
            cache[decision.pk] = selectors.decision_votes(decision)
        return cache[decision.pk]

    def get_votes(self, decision) -> list[dict]:
        return VoteSerializer(self._votes(decision), many=True).data

    def _voters(self, decision):
        # The voting organisations are the same for every decision of an alliance voted on the same day (its
        # members then, paras 12, 95-98): read once per alliance and day per response.
        cache = self.context.setdefault("_organisations", {})
        key = (decision.alliance_id, selectors.voting_day(decision))
        if key not in cache:
            cache[key] = selectors.voting_organisations(*key)
        return selectors.voters_of(decision, cache[key])

    def get_tally(self, decision) -> dict[str, int]:
        return selectors.decision_tally(decision, self._votes(decision), self._voters(decision)).as_dict()


class DecisionCreateSerializer(InputSerializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    decision_type = serializers.SlugField(help_text="The code of a Decision Matrix row.")
    closes_at = BoundedDateTimeField(required=False, allow_null=True, default=None)
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)


class VoteCastSerializer(InputSerializer):
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
    closed_from = BoundedDateField(required=False)
    closed_to = BoundedDateField(required=False)


class VotingOrganisationSerializer(serializers.Serializer):
    """An organisation with a seat on the Alliance Board today (a governance.selectors.Seat)."""

    slug = serializers.SlugField(source="organisation.slug", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.ChoiceField(source="organisation.kind", choices=OrganisationKind.choices, read_only=True)
    since = serializers.DateField(read_only=True, help_text="The day its seat began: a founding member's is the "
                                                            "Alliance Start Date, a new partner's its start date.")
