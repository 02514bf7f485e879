"""Forms of commitments (the Commitment SLA Register, selection and the quarterly review): shape only; the rules
are the services'."""

from __future__ import annotations

from django import forms

from alliance.dates import local_today
from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from governance.models.commitments import Commitment
from governance.selectors import commitments as commitments_selectors
from governance.selectors import performance_table as performance_table_selectors


class CommitmentForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(max_length=30, help_text="As in the Commitment SLA Register, e.g. C-04.")
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea, required=False)
    lead_partner = forms.ModelChoiceField(queryset=None, help_text="The partner who submitted it at tender (para 228).")
    dependent_partners = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.SelectMultiple(attrs={"class": "govuk-select", "size": 6}),
        label="Other partners it depends on or affects",
        help_text="Selecting it then needs the Board's approval, majority with client veto (Table 8).",
    )
    conflicts_with = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.SelectMultiple(attrs={"class": "govuk-select", "size": 6}),
        label="Commitments it conflicts with or excludes", help_text="Also needs the Board's approval (Table 8).",
    )
    is_active = forms.BooleanField(label="In the register (untick to withdraw it)", required=False, initial=True)

    def __init__(self, *args, alliance_id: int, exclude_pk: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        partners = commitments_selectors.partners_of(alliance_id)
        self.fields["lead_partner"].queryset = partners
        self.fields["dependent_partners"].queryset = partners
        self.fields["conflicts_with"].queryset = Commitment.objects.filter(alliance_id=alliance_id).exclude(
            pk=exclude_pk).order_by("reference")


class CommitmentSelectForm(GovukFormMixin, forms.Form):
    period = forms.ModelChoiceField(queryset=None, label="Performance Period")
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why it is selected")

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        periods = performance_table_selectors.performance_periods_open(alliance_id)
        self.fields["period"].queryset = periods
        today = local_today()
        # The Performance Period running today is the usual choice (para 230).
        self.fields["period"].initial = next((p.pk for p in periods if p.starts_on <= today <= p.ends_on), None)


class CommitmentDeselectForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why it is deselected",
                             help_text="Kept in the selection's history.")


class CommitmentReviewForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "review"
    on = BoundedDateField(label="Reviewed on", required=False, widget=DateInput(), help_text="Leave empty for today.")
    note = forms.CharField(label="What the review concluded", widget=forms.Textarea, required=False)
