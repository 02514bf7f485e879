"""Forms of the Board: shape only; the rules are governance.services'."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from alliance.forms import BoundedDateField, BoundedDateTimeField, DateInput, GovukFormMixin, OnePageFormMixin
from governance.models.board import AttendanceStatus, Authority, Choice, DecisionType, Meeting, MeetingStatus


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input govuk-input--width-20", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class DecisionTableForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea, required=False)
    decision_type = forms.ModelChoiceField(queryset=DecisionType.objects.none(), label="Decision type (Decision Matrix)")
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), required=False,
                                     empty_label="None: a written resolution",
                                     help_text="Decided at this meeting, or circulated as a written resolution.")
    closes_at = BoundedDateTimeField(label="Voting closes", required=False, widget=DateTimeInput(),
                                    help_text="Required for a written resolution. London time.")
    paper = forms.FileField(required=False, help_text="A PDF, Word, Excel or PowerPoint file, under 20 MB.")

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_type"].queryset = DecisionType.objects.filter(alliance_id=alliance_id, is_active=True)
        self.fields["decision_type"].label_from_instance = lambda t: f"{t.name} — {t.get_authority_display()}"
        self.fields["meeting"].queryset = Meeting.objects.filter(
            alliance_id=alliance_id, status__in=[MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS]
        ).order_by("starts_at")


class VoteForm(forms.Form):
    choice = forms.ChoiceField(choices=Choice.choices)


class DecisionFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Search", required=False)
    decision_type = forms.ChoiceField(label="Type", required=False)
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[
        ("", "Any outcome"), ("approved", "Approved"), ("rejected", "Rejected"), ("not_taken", "Not taken")])
    closed_from = BoundedDateField(label="Closed from", required=False, widget=DateInput())
    closed_to = BoundedDateField(label="Closed to", required=False, widget=DateInput())

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_type"].choices = [("", "Any type")] + [
            (t.code, t.name) for t in DecisionType.objects.filter(alliance_id=alliance_id).order_by("name")]


class DecisionTypeForm(GovukFormMixin, forms.Form):
    code = forms.SlugField(max_length=60, help_text="A short identifier used by the API, e.g. key-person-appointment.")
    name = forms.CharField(max_length=200)
    authority = forms.ChoiceField(choices=Authority.choices)
    paragraph = forms.CharField(max_length=60, required=False, help_text='Where the rule comes from, e.g. "para 59".')
    notes = forms.CharField(widget=forms.Textarea, required=False)
    is_active = forms.BooleanField(label="In use for new decisions", required=False, initial=True)


class MeetingForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=200, initial="Alliance Board")
    starts_at = BoundedDateTimeField(label="Starts", widget=DateTimeInput(), help_text="London time.")
    location = forms.CharField(max_length=300, help_text="A room or a call link.")
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False,
                             help_text="One agenda item per line, in order.")

    def clean_starts_at(self):
        return timezone.localtime(self.cleaned_data["starts_at"])

    def agenda_items(self) -> list[tuple[str, str]]:
        return [(line.strip(), "") for line in self.cleaned_data.get("agenda", "").splitlines() if line.strip()]


class RearrangeForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "rearrange"
    starts_at = BoundedDateTimeField(label="New date and time", widget=DateTimeInput())
    location = forms.CharField(max_length=300, required=False, help_text="Leave empty to keep the same place.")


class AttendanceForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "attendance"
    person = forms.ModelChoiceField(queryset=None)
    status = forms.ChoiceField(choices=AttendanceStatus.choices)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p} ({p.organisation})"


class AgendaItemForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "agenda"
    title = forms.CharField(max_length=300, label="New agenda item")
    description = forms.CharField(required=False, widget=forms.Textarea)


class MinutesForm(GovukFormMixin, forms.Form):
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), required=False, label="Notes")


class DelegationForm(GovukFormMixin, forms.Form):
    delegate = forms.ModelChoiceField(queryset=None, label="Your delegate")

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = delegates


class PaperForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "paper"
    title = forms.CharField(max_length=200, required=False)
    file = forms.FileField(help_text="A PDF, Word, Excel or PowerPoint file, under 20 MB.")
