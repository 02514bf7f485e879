"""Forms of performance's pages: the scorecard (which period, the score grid, the CSV upload, the client's
decision, the trend), the framework's changes, and improvement (plans, incidents, the efficiency register).

They check shape only (a number is a number, a period looks like 2025-Q3); whether a score may be recorded, by
whom, and whether a frozen quarter's correction has its reason are the services' rules.
"""

from __future__ import annotations

import re

from django import forms

from alliance.dates import local_today
from alliance.forms import BoundedDateField, GovukFormMixin, OnePageFormMixin
from performance import periods
from performance.models import SCORES, ActionStatus, Assurance, FrameworkChangeKind

SCORE_CHOICES = [("", "–")] + [(str(s), str(s)) for s in SCORES]
LINE_ERROR = re.compile(r"^Line (\d+), column (\w+): (.*)$")


class PeriodForm(GovukFormMixin, forms.Form):
    """?period=2025-Q3 or ?year=2026 (the scorecard, its exports); neither: the default quarter."""

    period = forms.CharField(label="Quarter", required=False, help_text="For example, 2026-Q3",
                             widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}))
    year = forms.IntegerField(label="Year", required=False, min_value=2000, max_value=2100,
                              widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4",
                                                            "inputmode": "numeric"}))

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        if period and periods.parse(period) is None:
            raise forms.ValidationError("Enter a quarter like 2026-Q3")
        return period


class ScoreGridForm(GovukFormMixin, forms.Form):
    """One quarter's grid: per scheme and metric a score (0-10 in twos) or a raw value, and its evidence.

    Only the cells that changed become rows for ``scores_record``: posting the grid again must not record (or,
    in a frozen quarter, correct) the scores nobody touched.
    """

    correction_reason = forms.CharField(
        label="Reason for the correction", required=False, widget=forms.Textarea,
        help_text="The quarter is frozen: every changed score is a late correction and needs its reason.")

    def __init__(self, *args, schemes, metrics, existing: dict | None = None, **kwargs):
        self.schemes, self.metrics = list(schemes), list(metrics)
        existing = existing or {}
        initial = {}
        for (scheme_id, metric_id), score in existing.items():
            key = self.key(scheme_id, metric_id)
            initial[f"{key}_score"] = str(score.score)
            initial[f"{key}_raw"] = score.raw_value
            initial[f"{key}_evidence"] = score.evidence
        kwargs.setdefault("initial", {}).update(initial)
        super().__init__(*args, **kwargs)
        self.row_cells: list[tuple[str, str]] = []
        for scheme in self.schemes:
            for metric in self.metrics:
                key, where = self.key(scheme.pk, metric.pk), f"{scheme.code}, {metric.title}"
                self.fields[f"{key}_score"] = forms.ChoiceField(
                    label=f"Score: {where}", choices=SCORE_CHOICES, required=False,
                    widget=forms.Select(attrs={"class": "govuk-select app-scorecard__select"}))
                self.fields[f"{key}_raw"] = forms.DecimalField(
                    label=f"Raw value ({metric.unit or 'measure'}): {where}", required=False, max_digits=16,
                    decimal_places=4, widget=forms.TextInput(attrs={
                        "class": "govuk-input app-scorecard__raw", "inputmode": "decimal", "autocomplete": "off"}))
                self.fields[f"{key}_evidence"] = forms.CharField(
                    label=f"Evidence: {where}", required=False, max_length=2000,
                    widget=forms.TextInput(attrs={"class": "govuk-input app-scorecard__evidence",
                                                  "autocomplete": "off"}))

    @staticmethod
    def key(scheme_id: int, metric_id: int) -> str:
        return f"s{scheme_id}_m{metric_id}"

    def grid(self) -> list[dict]:
        """Rows of bound fields for the template: one per scheme, one cell per metric."""
        return [{"scheme": scheme, "cells": [
            {"metric": metric, "score": self[f"{self.key(scheme.pk, metric.pk)}_score"],
             "raw": self[f"{self.key(scheme.pk, metric.pk)}_raw"],
             "evidence": self[f"{self.key(scheme.pk, metric.pk)}_evidence"]} for metric in self.metrics]}
            for scheme in self.schemes]

    def rows(self, period: str) -> list[dict]:
        """The changed cells as ``scores_record`` rows; ``row_cells`` remembers each row's cell for its errors."""
        changed, rows = set(self.changed_data), []
        self.row_cells = []
        for scheme in self.schemes:
            for metric in self.metrics:
                key = self.key(scheme.pk, metric.pk)
                if not {f"{key}_score", f"{key}_raw", f"{key}_evidence"} & changed:
                    continue
                score, raw = self.cleaned_data[f"{key}_score"], self.cleaned_data[f"{key}_raw"]
                if score == "" and raw is None:
                    continue  # emptied: a score is corrected, never deleted, so there is nothing to record
                row = {"scheme": scheme.code, "metric": metric.code, "period": period, "score": score,
                       "evidence": self.cleaned_data[f"{key}_evidence"]}
                if raw is not None:
                    row["raw_value"] = str(raw)
                rows.append(row)
                self.row_cells.append((key, f"{scheme.code}, {metric.title}"))
        return rows

    def add_row_errors(self, messages: list[str]) -> None:
        """Put the service's "Line N, column X: ..." on the cell it names (line N is the N-th changed cell)."""
        for message in messages:
            match = LINE_ERROR.match(message)
            index = int(match[1]) - 1 if match else -1
            if not match or not 0 <= index < len(self.row_cells):
                self.add_error(None, message)
                continue
            key, where = self.row_cells[index]
            field = f"{key}_raw" if match[2] == "raw_value" else f"{key}_score"
            self.add_error(field, f"{where}: {match[3]}")


class ScoreUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns scheme,metric,period,score and optionally raw_value "
                                                       "and evidence; a period like 2026-Q3.")
    correction_reason = forms.CharField(label="Reason for a correction", required=False, widget=forms.Textarea,
                                        help_text="Needed only when the file changes scores of a frozen quarter.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        return upload


class QuarterDecisionForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "decision"
    # Sent by the button pressed: "Accept" or "Return" (the template renders the two buttons, not this field).
    accept = forms.TypedChoiceField(choices=[("yes", "Accept"), ("no", "Return")], coerce=lambda v: v == "yes",
                                    widget=forms.HiddenInput,
                                    error_messages={"required": "Choose accept or return."})
    comment = forms.CharField(label="Comments (required to return the scorecard)", widget=forms.Textarea,
                              required=False)


class TrendForm(GovukFormMixin, forms.Form):
    metric = forms.ChoiceField(label="Metric", required=False)
    scheme = forms.ChoiceField(label="Scheme", required=False)

    def __init__(self, *args, metrics, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "All metrics")] + [(m.code, m.title) for m in metrics]
        self.fields["scheme"].choices = [("", "All schemes")] + [(s.code, f"{s.code} {s.name}") for s in schemes]


# --- The performance framework (paras 146-149) ----------------------------------------------------------------


class FrameworkChangeForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Which route", choices=FrameworkChangeKind.choices)
    metric = forms.ChoiceField()
    score = forms.TypedChoiceField(choices=[(s, s) for s in reversed(SCORES)], coerce=int)
    threshold = forms.DecimalField(label="New threshold", max_digits=16, decimal_places=4)
    description = forms.CharField(label="What changes and why", widget=forms.Textarea)

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.code, f"{m.title} ({m.unit}, {m.get_direction_display().lower()})")
                                         for m in metrics]


class MetricGroupForm(GovukFormMixin, forms.Form):
    """Move a metric between Table 6's groups: an amendment of the framework, so a unanimous Board (para 148)."""

    group_metric = forms.ChoiceField(label="Metric")
    group = forms.ChoiceField(label="Its group (para 146)", choices=[
        ("intervention", "Informs client intervention"), ("behaviours", "Supports evolving behaviours")])
    group_description = forms.CharField(label="Why", widget=forms.Textarea)

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_metric"].choices = [
            (m.code, f"{m.title} (now: {'informs client intervention' if m.informs_intervention else 'supports evolving behaviours'})")
            for m in metrics]


# --- Improvement -----------------------------------------------------------------------------------------------

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
