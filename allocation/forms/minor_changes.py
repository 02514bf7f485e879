"""Forms of minor post-allocation changes: shape only; the rules are the services' (paras 99-100)."""

from __future__ import annotations

from django import forms

from alliance.forms import GovukFormMixin, OnePageFormMixin
from allocation.forms._shared import LOT_CHOICES, StatusFilterMixin
from allocation.models import MinorChangeStatus

__all__ = [
    "MinorAgreementForm",
    "MinorChangeFilterForm",
    "MinorChangeForm",
]


class MinorChangeFilterForm(StatusFilterMixin, GovukFormMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *MinorChangeStatus.choices], required=False)


class MinorChangeForm(GovukFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(queryset=None, empty_label="Choose a scheme")
    lot = forms.TypedChoiceField(choices=LOT_CHOICES, coerce=int, help_text="The lot whose Responsible Partner is "
                                                                            "supported.")
    supporting_partner = forms.ModelChoiceField(queryset=None, empty_label="Choose a partner",
                                                help_text="From any lot (para 99).")
    description = forms.CharField(label="The support given", widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="No responsibility or liability moves (para 99).")

    def __init__(self, *args, schemes=None, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["supporting_partner"].queryset = partners
        self.fields["scheme"].label_from_instance = lambda s: f"{s.code} {s.name}"


class MinorAgreementForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "agreement"
    # Sent by the button pressed: "Agree" or "Do not agree".
    agreed = forms.TypedChoiceField(choices=[("yes", "Agree"), ("no", "Do not agree")], coerce=lambda v: v == "yes",
                                    widget=forms.HiddenInput, error_messages={"required": "Choose agree or not."})
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea, required=False)
