"""Forms the optimisation workflows share (business cases, minor changes): the Board submission, the withdraw
button, the lot choices and the status filter. Shape only; the rules are the services'."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from allocation.models import LOTS

__all__ = [
    "BoardSubmitForm",
    "WithdrawForm",
]

LOT_CHOICES = [("", "Choose a lot"), *((str(n), f"Lot {n}") for n in LOTS)]


class BoardSubmitForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    """Table a business case or minor change at the Board as a written resolution."""

    id_prefix = "board"
    closes_on = BoundedDateField(label="Voting closes on", widget=DateInput(), required=False,
                                help_text="At 17:00. Leave empty for two weeks from today.")


class WithdrawForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    """The Alliance Manager's withdraw button: no field, the service holds the rule."""

    id_prefix = "withdraw"


class StatusFilterMixin:
    """A list's filter by status; the form declares ``status`` with its workflow's choices."""

    def filters(self) -> dict:
        return {"status": self.cleaned_data["status"] or None} if self.is_valid() else {}
