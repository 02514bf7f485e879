"""Forms of improvement: they check shape only; the rules are the services' (services/improvement.py)."""

from __future__ import annotations

from django import forms

from alliance.dates import local_today
from alliance.forms import BoundedDateField
from performance import periods
from performance.models import ActionStatus, Assurance

__all__ = [
    "ActionAddForm",
    "ActionUpdateForm",
    "AimAddForm",
    "EfficiencyAssureForm",
    "EfficiencyFilterForm",
    "EfficiencyLogForm",
    "IncidentCloseForm",
    "IncidentDecideForm",
    "IncidentRecordForm",
    "PlanCloseForm",
    "PlanNewForm",
    "PlanQueryAnswerForm",
    "PlanQueryForm",
    "PlanReportForm",
]

_DATE = forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"})
_TEXT = {"class": "govuk-input"}
_AREA = {"class": "govuk-textarea", "rows": 4}


def _text(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.TextInput(attrs=_TEXT), **kwargs)


def _area(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs=_AREA), **kwargs)


class PlanNewForm(forms.Form):
    title = _text("Title of the plan", max_length=300)
    subject = forms.ChoiceField(label="What the plan is for", widget=forms.Select(attrs={"class": "govuk-select"}))

    def __init__(self, *args, processes=(), incidents=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose")]
        choices += [(f"process-{p.pk}", f"Scenario {p.scenario} process opened {p.opened_on:%d %b %Y} "
                                        f"({p.get_level_display().lower()})") for p in processes]
        choices += [(f"incident-{i.pk}", f"Incident: {i.title} ({i.scheme.code})") for i in incidents]
        self.fields["subject"].choices = choices


class AimAddForm(forms.Form):
    aim = _text("Improvement aim", max_length=300)
    finding = _area("Finding", help_text="What was found: the background to this aim.")


class ActionAddForm(forms.Form):
    aim = forms.ChoiceField(label="Aim", widget=forms.Select(attrs={"class": "govuk-select"}))
    action = _area("Action")
    owner = _text("Lead", max_length=200, help_text="Who leads the action.")
    due_on = BoundedDateField(label="Due", widget=_DATE)
    status = forms.ChoiceField(label="Progress status", choices=ActionStatus.choices,
                               widget=forms.Select(attrs={"class": "govuk-select"}))
    evidence = _area("Evidence", required=False)

    def __init__(self, *args, aims=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aim"].choices = [(str(a.pk), f"{a.order}. {a.aim}") for a in aims]


class ActionUpdateForm(forms.Form):
    action_id = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Progress status", choices=ActionStatus.choices,
                               widget=forms.Select(attrs={"class": "govuk-select"}))
    evidence = _area("Evidence", required=False)
    due_on = BoundedDateField(label="New due date", required=False, widget=_DATE)


class PlanQueryForm(forms.Form):
    question = _area("Query")


class PlanQueryAnswerForm(forms.Form):
    answer = _area("Answer")


class PlanReportForm(forms.Form):
    month = BoundedDateField(label="Month reported on", help_text="Any day of the month, for example 1/11/2026.",
                            widget=_DATE)
    progress = _area("Progress against the plan")
    effectiveness = _area("Effectiveness review",
                          help_text="Is the plan working? Amendments or additions decided (para 177).")


class PlanCloseForm(forms.Form):
    note = _area("Closing note")


class IncidentRecordForm(forms.Form):
    scheme = forms.ChoiceField(label="Scheme", widget=forms.Select(attrs={"class": "govuk-select"}))
    occurred_on = BoundedDateField(label="Date of the incident", widget=_DATE)
    title = _text("Title", max_length=300)
    description = _area("Description")

    def __init__(self, *args, schemes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].choices = [("", "Choose")] + [(str(s.pk), f"{s.code} {s.name}") for s in schemes]


class IncidentDecideForm(forms.Form):
    investigate = forms.TypedChoiceField(
        label="Is a formal investigation required?", coerce=lambda v: v == "yes",
        choices=[("yes", "Yes: investigate"), ("no", "No formal investigation")],
        widget=forms.Select(attrs={"class": "govuk-select"}))
    reason = _area("Reason")


class IncidentCloseForm(forms.Form):
    reason = _area("Why the incident management process can close (para 183)")


def _quarter_choices() -> list[tuple[str, str]]:
    year, number = periods.containing(local_today())
    choices = []
    for _ in range(8):
        label = periods.label(year, number)
        choices.append((label, label))
        year, number = periods.previous(year, number)
    return choices


class EfficiencyLogForm(forms.Form):
    title = _text("What the efficiency is", max_length=300)
    value = forms.DecimalField(label="Value (£)", max_digits=14, decimal_places=2,
                               widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10",
                                                             "inputmode": "decimal"}))
    quarter = forms.ChoiceField(label="Quarter", widget=forms.Select(attrs={"class": "govuk-select"}))
    scheme = forms.ChoiceField(label="Scheme", required=False, widget=forms.Select(attrs={"class": "govuk-select"}))

    def __init__(self, *args, schemes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = _quarter_choices()
        self.fields["scheme"].choices = [("", "Across the Alliance")] + [(str(s.pk), f"{s.code} {s.name}")
                                                                        for s in schemes]


class EfficiencyAssureForm(forms.Form):
    to = forms.ChoiceField(choices=[(Assurance.ASSURED, "Assured"), (Assurance.DELIVERED, "Delivered")])


class EfficiencyFilterForm(forms.Form):
    quarter = forms.CharField(label="Quarter", required=False,
                              widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
                              help_text="For example 2026-Q3.")
    assurance = forms.ChoiceField(label="Assurance level", required=False,
                                  choices=[("", "Any")] + list(Assurance.choices),
                                  widget=forms.Select(attrs={"class": "govuk-select"}))
