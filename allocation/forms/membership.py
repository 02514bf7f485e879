"""Forms of membership changes: shape only; the rules are the services' (allocation.services.membership)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin

__all__ = [
    "MembershipNewPartnerForm",
    "MembershipTerminationForm",
    "MembershipWithdrawForm",
    "TransitionPlanDeliverForm",
]


class _PartnerChangeForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label="Partner")
    effective_on = BoundedDateField(label="Effective date", widget=DateInput())
    reason = forms.CharField(label="Reason or reference (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{o.name} (Lot {o.lot.number}{', ' + o.get_area_display() if o.area else ''})")


class MembershipTerminationForm(_PartnerChangeForm):
    pass


class MembershipNewPartnerForm(_PartnerChangeForm):
    pass


class MembershipWithdrawForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "withdraw"
    reason = forms.CharField(label="Why is it withdrawn?", widget=forms.Textarea)


class TransitionPlanDeliverForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "transition"
    on = BoundedDateField(label="Delivered on", widget=DateInput(), required=False, help_text="Leave empty for today.")
