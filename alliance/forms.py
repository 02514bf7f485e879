"""Forms validate shape (a date is a date); the rules are the services' (docs/architecture.md)."""

from __future__ import annotations

from django import forms
from django.forms import BoundField

from alliance.dates import validate_date_range
from alliance.models import ObligationKind, Organisation, Person
from alliance.permissions import ERR_NAME_OWN_ORGANISATION, ERR_NAME_UNAVAILABLE, names_across_alliance
from alliance.selectors import people_nameable_by


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


class BoundedDateField(forms.DateField):
    """Every date a person enters on a page: a real date within alliance.dates' range (2000 to 2100), so that
    9999-12-31 is refused where it is typed rather than breaking what is computed from it later."""

    default_validators = [validate_date_range]


class BoundedDateTimeField(forms.DateTimeField):
    """Every date and time a person enters on a page (a decision's closing, a meeting): as BoundedDateField."""

    default_validators = [validate_date_range]


class GovukBoundField(BoundField):
    """Marks a field in error with GOV.UK's error class (Django adds aria-invalid and aria-describedby)."""

    ERROR_CLASSES = {"govuk-input": "govuk-input--error", "govuk-select": "govuk-select--error",
                     "govuk-textarea": "govuk-textarea--error"}

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            classes = (widget or self.field.widget).attrs.get("class", "").split()
            extra = [self.ERROR_CLASSES[c] for c in classes if c in self.ERROR_CLASSES]
            if extra:
                attrs["class"] = " ".join([*classes, *extra])
        return attrs


class GovukFormMixin:
    """Adds GOV.UK Frontend classes so every form looks and behaves the same."""

    bound_field_class = GovukBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            self._specific_error_messages(name, field)
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "govuk-select")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "govuk-textarea")
                widget.attrs.setdefault("rows", 3)
            elif isinstance(widget, forms.FileInput):
                widget.attrs.setdefault("class", "govuk-file-upload")
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "govuk-checkboxes__input")
            else:
                widget.attrs.setdefault("class", "govuk-input")


    @staticmethod
    def _specific_error_messages(name: str, field: forms.Field) -> None:
        """GOV.UK asks for errors that say what to do ("Enter the due date"), not "This field is required"."""
        label = str(field.label or name.replace("_", " ")).rstrip("?")
        label = label[0].lower() + label[1:]
        if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
            verb = "Select" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "Enter"
            field.error_messages["required"] = f"{verb} {label}"
        if isinstance(field, forms.DateField) and field.error_messages.get("invalid") == forms.DateField.default_error_messages["invalid"]:
            field.error_messages["invalid"] = f"Enter {label} as a real date"


class NamedPersonField(forms.ModelChoiceField):
    """A person the user names as an owner, lead or approver. It offers only the people the user may name
    (alliance.permissions.may_name_person: a partner's own people; anyone in the Alliance for the SRO and the
    Alliance Manager); the form's ``__init__`` calls ``offer(actor)``. The service checks again."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Person.objects.none())
        super().__init__(**kwargs)

    def offer(self, actor: Person, *, across_alliance: bool = False, current: int | None = None) -> None:
        """Offer the people ``actor`` may name, and ``current`` (the person named before, by id): a form that
        edits a record can keep its person even after they left, as its service does (it checks a new name)."""
        queryset = people_nameable_by(actor, across_alliance=across_alliance)
        if current is not None:
            queryset = queryset | Person.objects.filter(pk=current)
        self.queryset = queryset
        self.error_messages["invalid_choice"] = (
            ERR_NAME_UNAVAILABLE if names_across_alliance(actor, across_alliance=across_alliance)
            else ERR_NAME_OWN_ORGANISATION)

    def label_from_instance(self, person: Person) -> str:
        return f"{person.get_full_name() or person.username} ({person.organisation.name})"


class ObligationAddForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=ObligationKind.choices, initial=ObligationKind.OTHER)
    title = forms.CharField(max_length=300)
    paragraph = forms.CharField(
        max_length=60, required=False, help_text='Where it comes from, for example "para 27" or "Table 7".'
    )
    start_date = BoundedDateField(widget=DateInput())
    due_date = BoundedDateField(widget=DateInput())
    responsible_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="The whole alliance"
    )
    responsible_person = NamedPersonField(required=False, empty_label="Nobody in particular")

    def __init__(self, *args, actor: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(
            alliance_id=actor.organisation.alliance_id)
        self.fields["responsible_person"].offer(actor)


class OnePageFormMixin:
    """For forms that share a page with others: ids start with the form's own prefix, names stay as they are.

    Three forms on the obligation page have a ``reason`` field; with Django's default ids all three are
    ``id_reason``, so every label and error-summary link reached the first one only.
    """

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class ObligationMeetForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "meet"
    on = BoundedDateField(label="Met on", required=False, widget=DateInput(), help_text="Leave empty for today.")
    reason = forms.CharField(label="Note", required=False, widget=forms.Textarea)


class ObligationCancelForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "cancel"
    reason = forms.CharField(
        label="Why is it cancelled?", widget=forms.Textarea,
        error_messages={"required": "Enter why the obligation is cancelled"},
    )


class ObligationRedateForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "redate"
    due_date = BoundedDateField(
        label="New due date", widget=DateInput(),
        error_messages={"required": "Enter the new due date", "invalid": "Enter the new due date as a real date"},
    )
    reason = forms.CharField(
        label="Why does the date change?", widget=forms.Textarea,
        error_messages={"required": "Enter why the due date changes"},
    )


class WhatsDueFilterForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=[("", "Every kind"), *ObligationKind.choices], required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
