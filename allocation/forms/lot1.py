"""Forms of the client taking Lot 1 elements (para 102): shape only; the rules are the service's."""

from __future__ import annotations

from django import forms

from alliance.forms import GovukFormMixin, OnePageFormMixin

__all__ = [
    "Lot1ClientForm",
]


class Lot1ClientForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "lot1"
    schemes = forms.ModelMultipleChoiceField(
        label="Schemes whose Lot 1 work the client takes", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scheme."},
    )
    reason = forms.CharField(label="The client's instruction and reason (para 102)", widget=forms.Textarea)

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schemes"].queryset = schemes
        self.fields["schemes"].label_from_instance = lambda s: f"{s.code} {s.name}"
