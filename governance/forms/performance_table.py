"""Forms of Performance Periods and the Performance Table: shape only; the rules are the services'."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from governance.models.commitments import PerformancePeriod, PerformanceTableReason
from governance.selectors import commitments as commitments_selectors
from governance.services.performance_table import PERFORMANCE_TABLE_TRIGGER_REASONS


class PerformancePeriodForm(GovukFormMixin, forms.Form):
    name = forms.CharField(max_length=100, help_text="For example “Year 2 (2027-28)”.")
    starts_on = BoundedDateField(label="Starts on", widget=DateInput())
    ends_on = BoundedDateField(label="Ends on", widget=DateInput())


class PerformanceTableDraftForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "draft"
    period = forms.ModelChoiceField(queryset=PerformancePeriod.objects.none(), label="Performance Period")
    reason = forms.ChoiceField(choices=[("", "Work it out (first, after an event, or annual)"),
                                        *PerformanceTableReason.choices], required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = PerformancePeriod.objects.filter(alliance_id=alliance_id).order_by("starts_on")


class PerformanceTableRowForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "row"
    indicator = forms.CharField(max_length=300)
    measure = forms.CharField(max_length=300, required=False)
    target = forms.CharField(max_length=200)
    commitment = forms.ModelChoiceField(queryset=None, required=False, empty_label="None: an indicator",
                                        help_text="A commitment selected for this period (para 230).")

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = commitments_selectors.commitments_selectable(alliance_id)


class PerformanceTableTriggerForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(choices=[(r.value, r.label) for r in PERFORMANCE_TABLE_TRIGGER_REASONS],
                               label="What happened")
    occurred_on = BoundedDateField(label="When it happened", widget=DateInput())
    description = forms.CharField(max_length=300, help_text="For example “Scheme Order SO-012 issued for the M6 J21a-26”.")
