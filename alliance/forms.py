"""Forms validate shape (a date is a date); the rules are the services' (CONVENTIONS.md)."""

from __future__ import annotations

from django import forms

from alliance.models import ObligationKind, Organisation, Person


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


class GovukFormMixin:
    """Adds GOV.UK Frontend classes so every form looks and behaves the same."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "govuk-select")
            elif isinstance(widget, forms.Textarea):
                widget.attrs.setdefault("class", "govuk-textarea")
                widget.attrs.setdefault("rows", 3)
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "govuk-checkboxes__input")
            else:
                widget.attrs.setdefault("class", "govuk-input")


class ObligationAddForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=ObligationKind.choices, initial=ObligationKind.OTHER)
    title = forms.CharField(max_length=300)
    paragraph = forms.CharField(
        max_length=60, required=False, help_text='Where it comes from, for example "para 27" or "Table 7".'
    )
    start_date = forms.DateField(widget=DateInput())
    due_date = forms.DateField(widget=DateInput())
    responsible_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="The whole alliance"
    )
    responsible_person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, empty_label="Nobody in particular")

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = Organisation.objects.filter(alliance_id=alliance_id)
        self.fields["responsible_person"].queryset = Person.objects.filter(
            organisation__alliance_id=alliance_id, is_active=True
        ).select_related("organisation")
        self.fields["responsible_person"].label_from_instance = lambda p: f"{p} ({p.organisation})"


class ObligationMeetForm(GovukFormMixin, forms.Form):
    on = forms.DateField(label="Met on", required=False, widget=DateInput(), help_text="Leave empty for today.")
    reason = forms.CharField(label="Note (optional)", required=False, widget=forms.Textarea)


class ObligationCancelForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why is it cancelled?", widget=forms.Textarea)


class ObligationRedateForm(GovukFormMixin, forms.Form):
    due_date = forms.DateField(label="New due date", widget=DateInput())
    reason = forms.CharField(label="Why does the date change?", widget=forms.Textarea)


class WhatsDueFilterForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=[("", "Every kind"), *ObligationKind.choices], required=False)
    overdue = forms.BooleanField(label="Overdue only", required=False)
