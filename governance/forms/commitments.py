"""Forms of commitments, the Performance Table and assurance: shape only; the rules are the services'."""

from __future__ import annotations

from django import forms

from alliance.forms import DateInput, GovukFormMixin, OnePageFormMixin
from governance import selectors
from governance.models import Commitment, PerformancePeriod, PerformanceTableReason
from governance.services.commitments import PERFORMANCE_TABLE_TRIGGER_REASONS

__all__ = [
    "AssuranceCancelForm",
    "AssuranceRecordForm",
    "CommitmentDeselectForm",
    "CommitmentForm",
    "CommitmentReviewForm",
    "CommitmentSelectForm",
    "PerformancePeriodForm",
    "PerformanceTableDraftForm",
    "PerformanceTableRowForm",
    "PerformanceTableTriggerForm",
]


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
        partners = selectors.partners_of(alliance_id)
        self.fields["lead_partner"].queryset = partners
        self.fields["dependent_partners"].queryset = partners
        self.fields["conflicts_with"].queryset = Commitment.objects.filter(alliance_id=alliance_id).exclude(
            pk=exclude_pk).order_by("reference")


class CommitmentSelectForm(GovukFormMixin, forms.Form):
    period = forms.ModelChoiceField(queryset=None, label="Performance Period")
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why it is selected")

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = selectors.performance_periods_open(alliance_id)


class CommitmentDeselectForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(widget=forms.Textarea, required=False, label="Why it is deselected",
                             help_text="Kept in the selection's history.")


class CommitmentReviewForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "review"
    on = forms.DateField(label="Reviewed on", required=False, widget=DateInput(), help_text="Leave empty for today.")
    note = forms.CharField(label="What the review concluded", widget=forms.Textarea, required=False)


class PerformancePeriodForm(GovukFormMixin, forms.Form):
    name = forms.CharField(max_length=100, help_text="For example “Year 2 (2027-28)”.")
    starts_on = forms.DateField(label="Starts on", widget=DateInput())
    ends_on = forms.DateField(label="Ends on", widget=DateInput())


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
        self.fields["commitment"].queryset = selectors.commitments_selectable(alliance_id)


class PerformanceTableTriggerForm(GovukFormMixin, forms.Form):
    reason = forms.ChoiceField(choices=[(r.value, r.label) for r in PERFORMANCE_TABLE_TRIGGER_REASONS],
                               label="What happened")
    occurred_on = forms.DateField(label="When it happened", widget=DateInput())
    description = forms.CharField(max_length=300, help_text="For example “Scheme Order SO-012 issued for the M6 J21a-26”.")


class AssuranceRecordForm(GovukFormMixin, forms.Form):
    held_on = forms.DateField(label="Held on", widget=DateInput())
    reviewer = forms.CharField(max_length=200, required=False, label="Carried out by",
                               help_text="The MPPH, capital portfolio management or the external body.")
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}))
    actions = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    milestone_missed = forms.BooleanField(label="A PCF milestone was missed (para 22)", required=False)
    audit_initiated = forms.BooleanField(label="The MPPH initiated an audit (para 22)", required=False)


class AssuranceCancelForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "cancel"
    reason = forms.CharField(label="Why will it not be held?", widget=forms.Textarea,
                             error_messages={"required": "Enter why the review is cancelled"})
