"""API shapes of the core. Shape only: rules are the services'."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import serializers

from alliance.models import Notification, Obligation, ObligationKind, Organisation, Person


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]


class PersonRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = ["username", "name"]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["username", "name", "email", "organisation", "roles"]

    def get_roles(self, person) -> list[str]:
        from alliance.permissions import roles_of

        return sorted(roles_of(person))


class ObligationSerializer(serializers.ModelSerializer):
    responsible_organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    responsible_person = PersonRefSerializer(read_only=True, allow_null=True)
    days_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id", "kind", "title", "paragraph", "start_date", "due_date", "status", "closed_on",
            "days_left", "overdue", "responsible_organisation", "responsible_person", "subject",
        ]

    def _today(self):
        return self.context["today"]

    def get_days_left(self, obligation) -> int:
        return obligation.days_left(self._today())

    def get_overdue(self, obligation) -> bool:
        return obligation.is_overdue(self._today())

    def get_subject(self, obligation) -> dict | None:
        if obligation.subject_type_id is None:
            return None
        # ContentType's manager caches by id: no query per row.
        content_type = ContentType.objects.get_for_id(obligation.subject_type_id)
        return {"type": f"{content_type.app_label}.{content_type.model}", "id": obligation.subject_id}


class WhatsDueQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ObligationKind.choices, required=False)
    due_before = serializers.DateField(required=False, help_text="Due on or before this date (YYYY-MM-DD).")
    due_after = serializers.DateField(required=False, help_text="Due on or after this date (YYYY-MM-DD).")
    overdue = serializers.BooleanField(required=False, default=False)


class ObligationCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ObligationKind.choices, default=ObligationKind.OTHER)
    title = serializers.CharField(max_length=300)
    paragraph = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    due_date = serializers.DateField()
    responsible_organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    responsible_person = serializers.SlugRelatedField(
        slug_field="username", queryset=Person.objects.all(), required=False, allow_null=True, default=None
    )


class ObligationMeetSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ObligationCancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ObligationRedateSerializer(serializers.Serializer):
    due_date = serializers.DateField()
    reason = serializers.CharField()


class NotificationQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text="Only unread notifications.")


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "link", "created_at", "read", "obligation"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


def query_text(request, name: str, default: str = "") -> str:
    """A query parameter that a view reads as text without a query serializer, NUL refused (400): PostgreSQL
    cannot compare text holding NUL, so it would reach the database as a 500 (a serializer's CharField
    refuses it with the same message)."""
    value = request.query_params.get(name, default)
    if value and "\x00" in value:
        raise serializers.ValidationError({name: [ProhibitNullCharactersValidator.message]})
    return value
