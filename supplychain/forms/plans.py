"""Forms of the Supply Chain Management Plan pages: shape only (the checklist rule is the service's)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST

__all__ = ["PlanChangeForm", "PlanConfirmForm", "PlanReturnForm", "PlanSectionsForm"]


class PlanSectionsForm(GovukFormMixin, forms.Form):
    """One text per item of the para 133 checklist; an item may be left blank while drafting."""

    change_note = forms.CharField(label="What changed since the previous version (para 134)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, text in MANAGEMENT_PLAN_CHECKLIST:
            self.fields[code] = forms.CharField(label=text, required=False, widget=forms.Textarea(
                attrs={"rows": 4, "class": "govuk-textarea"}))
        self.order_fields([code for code, _ in MANAGEMENT_PLAN_CHECKLIST] + ["change_note"])

    def sections(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code, "") for code, _ in MANAGEMENT_PLAN_CHECKLIST}


class PlanConfirmForm(forms.Form):
    """A step with nothing to fill in (submit, accept)."""


class PlanReturnForm(GovukFormMixin, forms.Form):
    missing = forms.MultipleChoiceField(
        label="Items the plan does not address", choices=MANAGEMENT_PLAN_CHECKLIST, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="The items left blank are ticked for you.")
    comments = forms.CharField(label="Comments for the partner", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PlanChangeForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="Partner", queryset=None, empty_label=None)
    reason = forms.CharField(label="The significant change", widget=forms.Textarea(attrs={"rows": 3}))
    due_date = BoundedDateField(label="Resubmit by", widget=DateInput())

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
