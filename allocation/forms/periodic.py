"""Forms of Periodic Instructions: shape only; the rules are the services' (allocation.services.periodic)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from allocation.models import PeriodicInstructionStatus

__all__ = [
    "PeriodicFilterForm",
    "PeriodicProfileForm",
    "PeriodicRequestForm",
    "PeriodicTableForm",
]


class PeriodicRequestForm(GovukFormMixin, forms.Form):
    period_start = BoundedDateField(label="Start of the period", widget=DateInput())
    period_end = BoundedDateField(label="End of the period", widget=DateInput())
    scope = forms.CharField(label="Scheme Scope the cost resource profile is to cover (para 104)",
                            widget=forms.Textarea(attrs={"rows": 5}))


class PeriodicProfileForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "profile"
    summary = forms.CharField(label="Cost resource profile", widget=forms.Textarea(attrs={"rows": 6}))
    total = forms.DecimalField(label="Total cost (£)", max_digits=14, decimal_places=2, min_value=0)
    document = forms.FileField(label="Profile document (optional)", required=False,
                               help_text="A PDF, Word, Excel or PowerPoint file, up to 20 MB.")


class PeriodicTableForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "table"
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text="At 17:00. Leave empty for 14 days from today.")


class PeriodicFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *PeriodicInstructionStatus.choices], required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"status": self.cleaned_data["status"] or None}
