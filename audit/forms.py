"""The audit page's filters: they validate shape; which rows they find is audit/sources.py's."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from alliance.database import ID_MAX
from alliance.forms import BoundedDateField, DateInput, GovukFormMixin
from alliance.models import Organisation, Person
from audit import sources


class QuickSelect(forms.Select):
    """A select whose options are written in Python rather than through a template each: the audit's lists run
    to about a hundred options, which Django's option template took tens of milliseconds to draw."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])  # noqa: S308
            for _group, group_options, _index in widget["optgroups"] for option in group_options))
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class AuditFilterForm(GovukFormMixin, forms.Form):
    """The audit page's filters (audit/sources.py): people and organisations are those the viewer may read."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), required=False, empty_label="Anyone",
                                    widget=QuickSelect)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), required=False, empty_label="Any organisation",
        help_text="Of the person who made the change.", widget=QuickSelect,
    )
    app = forms.ChoiceField(required=False, widget=QuickSelect)
    object_type = forms.ChoiceField(required=False, widget=QuickSelect)
    # At most the largest id a table holds: a larger one finds nothing, and on SQLite would overflow (a 500).
    object_id = forms.IntegerField(label="Object id", required=False, min_value=1, max_value=ID_MAX,
                                   widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-10"}))
    date_from = BoundedDateField(label="From", required=False, widget=DateInput())
    date_to = BoundedDateField(label="To", required=False, widget=DateInput())

    def __init__(self, *args, viewer: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = sources.people_in_scope(viewer)
        self.fields["person"].label_from_instance = lambda p: f"{p} ({p.organisation})" if p.organisation else str(p)
        self.fields["organisation"].queryset = sources.organisations_in_scope(viewer)
        self.fields["app"].choices = [("", "Every app"), *sources.app_choices()]
        self.fields["object_type"].choices = [("", "Every type"), *sources.type_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", sources.ERR_AUDIT_DATE_ORDER)
        return data

    def filters(self) -> sources.AuditFilters:
        """The valid form's choices as the selectors take them (empty when the form is not bound)."""
        data = self.cleaned_data if self.is_bound else {}
        return sources.AuditFilters(
            person_id=data["person"].pk if data.get("person") else None,
            organisation_id=data["organisation"].pk if data.get("organisation") else None,
            app_label=data.get("app") or None, model_label=data.get("object_type") or None,
            object_id=data.get("object_id"), date_from=data.get("date_from"), date_to=data.get("date_to"),
        )
