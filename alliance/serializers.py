"""API shapes of the core. Shape only: rules are the services'."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from alliance.api_input import InputSerializer
from alliance.api_support import BoundedDateField
from alliance.models import Notification, Obligation, ObligationKind, Organisation, Person
from alliance.permissions import ERR_NAME_UNAVAILABLE

NAMED_PERSON_HELP = ("A username. You can only name people of your own organisation; the SRO and the Alliance "
                     "Manager name anyone in the Alliance. Anyone else is refused (400).")


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "kind"]


class PersonRefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = ["username", "name"]


class NamedPersonField(serializers.SlugRelatedField):
    """A person the user names as an owner, lead or approver, by username. Shape only: the service decides
    whether the user may name them (alliance.permissions.may_name_person) and refuses with its message; an
    unknown username gets the same message as another alliance's person (no way to probe for usernames)."""

    default_error_messages = {"does_not_exist": ERR_NAME_UNAVAILABLE, "invalid": ERR_NAME_UNAVAILABLE,
                              "null": ERR_NAME_UNAVAILABLE}  # "" is null to a related field

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", NAMED_PERSON_HELP)
        super().__init__(slug_field="username", queryset=Person.objects.select_related("organisation"), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or "\x00" in data:  # PostgreSQL cannot compare text holding NUL
            self.fail("invalid")
        return super().to_internal_value(data)


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
    due_before = BoundedDateField(required=False, help_text="Due on or before this date (YYYY-MM-DD).")
    due_after = BoundedDateField(required=False, help_text="Due on or after this date (YYYY-MM-DD).")
    overdue = serializers.BooleanField(required=False, default=False)


class ObligationCreateSerializer(InputSerializer):
    kind = serializers.ChoiceField(choices=ObligationKind.choices, default=ObligationKind.OTHER)
    title = serializers.CharField(max_length=300)
    paragraph = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    start_date = BoundedDateField()
    due_date = BoundedDateField()
    responsible_organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )
    responsible_person = NamedPersonField(required=False, allow_null=True, default=None)


class ObligationMeetSerializer(InputSerializer):
    on = BoundedDateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ObligationCancelSerializer(InputSerializer):
    reason = serializers.CharField()


class ObligationRedateSerializer(InputSerializer):
    due_date = BoundedDateField()
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
