"""Forms of the risk register pages: shape only; the rules are in supplychain.services.risks."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, NamedPersonField
from supplychain.models import EscalationTarget, RiskStatus, RiskStrategy
from supplychain.permissions import is_supply_chain_team
from supplychain.selectors.risks import risk_people

__all__ = [
    "RiskActionForm",
    "RiskActionProgressForm",
    "RiskCloseForm",
    "RiskEscalateForm",
    "RiskFilterForm",
    "RiskRaiseForm",
    "RiskUpdateForm",
]

LIKELIHOOD_CHOICES = [(1, "1 – rare"), (2, "2 – unlikely"), (3, "3 – possible"), (4, "4 – likely"),
                      (5, "5 – almost certain")]
IMPACT_CHOICES = [(1, "1 – negligible"), (2, "2 – minor"), (3, "3 – moderate"), (4, "4 – major"), (5, "5 – severe")]

_TEXT = {"class": "govuk-input"}
_AREA = {"class": "govuk-textarea", "rows": 3}
_SELECT = {"class": "govuk-select"}
_CHECK = {"class": "govuk-checkboxes__input"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.get_full_name() or person.username} ({person.organisation.name})"


def _named_owner(label: str) -> NamedPersonField:
    """A risk's or an action's owner: only the people the user may name (supplychain.services.risks)."""
    return NamedPersonField(label=label, widget=forms.Select(attrs=_SELECT), empty_label="Choose a person")


def _offer_owners(form: forms.Form, actor) -> None:
    form.fields["owner"].offer(actor, across_alliance=is_supply_chain_team(actor))


def _owner_field(alliance_id: int, label: str, *, required: bool = True) -> PersonChoiceField:
    return PersonChoiceField(queryset=risk_people(alliance_id), label=label, required=required,
                             widget=forms.Select(attrs=_SELECT), empty_label="Anyone" if not required else "Choose a person")


def _score(choices, label: str, required: bool = True) -> forms.TypedChoiceField:
    blank = [] if required else [("", "As it is")]
    return forms.TypedChoiceField(choices=blank + choices, coerce=int, empty_value=None, label=label,
                                  required=required, widget=forms.Select(attrs=_SELECT))


class RiskRaiseForm(forms.Form):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs=_TEXT))
    owner = _named_owner("Owner")
    cause = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA))
    effect = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA))
    likelihood = _score(LIKELIHOOD_CHOICES, "Likelihood")
    impact = _score(IMPACT_CHOICES, "Impact")
    strategy = forms.ChoiceField(choices=RiskStrategy.choices, widget=forms.Select(attrs=_SELECT),
                                 help_text="Accept, tolerate, transfer or treat (seed 002).")
    financial_exposure = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0,
                                            label="Financial exposure (£)",
                                            widget=forms.NumberInput(attrs=_TEXT | {"step": "0.01"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_owners(self, actor)


class RiskUpdateForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA),
                           help_text="Required every month, even when nothing changed.")
    no_change = forms.BooleanField(required=False, label="No change this month",
                                   widget=forms.CheckboxInput(attrs=_CHECK))
    likelihood = _score(LIKELIHOOD_CHOICES, "Likelihood now", required=False)
    impact = _score(IMPACT_CHOICES, "Impact now", required=False)


class RiskActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs=_AREA))
    owner = _named_owner("Action owner")
    due_on = BoundedDateField(label="Due on", help_text="For example, 31/12/2026",
                             widget=forms.DateInput(attrs=_TEXT | {"type": "date"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_owners(self, actor)


class RiskActionProgressForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.CharField(widget=forms.Textarea(attrs=_AREA))
    done = forms.BooleanField(required=False, label="The action is done", widget=forms.CheckboxInput(attrs=_CHECK))


class RiskCloseForm(forms.Form):
    reason = forms.CharField(label="Why close the risk", widget=forms.Textarea(attrs=_AREA))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close_%s")  # the escalation form on the same page has a "reason" too
        super().__init__(*args, **kwargs)


class RiskEscalateForm(forms.Form):
    target = forms.ChoiceField(choices=EscalationTarget.choices, label="Escalate to",
                               widget=forms.Select(attrs=_SELECT))
    reason = forms.CharField(widget=forms.Textarea(attrs=_AREA))


class RiskFilterForm(forms.Form):
    strategy = forms.ChoiceField(choices=[("", "Any")] + RiskStrategy.choices, required=False,
                                 widget=forms.Select(attrs=_SELECT))
    status = forms.ChoiceField(choices=[("", "Any")] + RiskStatus.choices, required=False,
                               widget=forms.Select(attrs=_SELECT))
    stale = forms.BooleanField(required=False, label="Stale only (no update for more than a month)",
                               widget=forms.CheckboxInput(attrs=_CHECK))

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field(alliance_id, "Owner", required=False)
        self.order_fields(["strategy", "owner", "status", "stale"])
