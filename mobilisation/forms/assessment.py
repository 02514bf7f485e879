"""Forms of the self-assessment pages: shape only (who may rate, the 1-to-5 rule and the close are the
services')."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin

__all__ = ["AssessmentCloseForm", "AssessmentOpenForm", "GapActionForm", "RatingsForm", "SCORE_CHOICES"]

SCORE_CHOICES = [
    ("", "Not rated"),
    ("1", "1 – not at all"),
    ("2", "2 – a little"),
    ("3", "3 – partly"),
    ("4", "4 – largely"),
    ("5", "5 – fully"),
]


class AssessmentOpenForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200, help_text="For example “Self-assessment, November 2026”.")
    opens_on = BoundedDateField(label="Ratings open on", widget=DateInput())
    closes_on = BoundedDateField(label="Ratings close on", widget=DateInput())


class AssessmentCloseForm(forms.Form):
    """Closing has nothing to fill in."""


class RatingsForm(GovukFormMixin, forms.Form):
    """One field per outcome of the Code, named by the outcome's code; a field left "Not rated" is skipped."""

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for outcome in outcomes:
            self.fields[outcome.code] = forms.TypedChoiceField(
                label=outcome.text, choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False)
        # Added after the mixin's __init__, which gives the other forms' fields their classes.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "govuk-select")

    def scores(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(code) for code in self.fields}


class GapActionForm(GovukFormMixin, forms.Form):
    theme = forms.CharField(widget=forms.HiddenInput)
    phase = forms.CharField(widget=forms.HiddenInput)
    focus_area = forms.TypedChoiceField(label="Focus area of the draft maturity plan", coerce=int, choices=())
    description = forms.CharField(label="The action", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="Left blank, the action says which theme and phase to improve.")
    due_on = BoundedDateField(label="Due on", required=False, widget=DateInput())

    def __init__(self, *args, focus_areas=(), **kwargs):
        """``focus_areas``: (id, title) pairs, read once for every gap's form (a queryset would be read by each)."""
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].choices = [("", "Choose a focus area"), *focus_areas]
