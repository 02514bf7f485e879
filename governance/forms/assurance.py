"""Forms of the client's assurance calendar (paras 22-24): shape only; the rules are the services'."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin


class AssuranceRecordForm(GovukFormMixin, forms.Form):
    held_on = BoundedDateField(label="Held on", widget=DateInput())
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
