"""Forms of the scorecard's pages: which period, the score grid, the CSV upload, the client's decision, the trend.

They check shape only (a number is a number, a period looks like 2025-Q3); whether a score may be recorded, by
whom, and whether a frozen quarter's correction has its reason are the services' rules.
"""

from __future__ import annotations

import re

from django import forms

from alliance.forms import GovukFormMixin, OnePageFormMixin
from performance import periods
from performance.models import SCORES

__all__ = [
    "PeriodForm",
    "QuarterDecisionForm",
    "ScoreGridForm",
    "ScoreUploadForm",
    "TrendForm",
]

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
