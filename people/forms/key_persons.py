"""Forms of the Alliance key person selection (paras 48-60): shape only (a date is a date, a file is a file).

The rules (full time, PDF or DOCX by content, who may nominate for what) are the services'. A required field
reuses the service's message as its own, so a missing value reads the same on the page and in the API.
"""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from alliance.models import Organisation
from people.models import InterviewOutcome, NominationRoute, NominationStatus
from people.services.cvs import ERR_CV_REQUIRED
from people.services.key_persons import ERR_NOMINATION_COMMENTS, ERR_NOMINATION_NAME, ERR_REQUEST_MESSAGE

CV_HELP = "A PDF or Word (.docx) file, up to 10 MB. The CV is personal data: only your organisation, the Alliance " \
          "Manager and the Board while it decides can open it."


def _cv_field() -> forms.FileField:
    # Its content (PDF or DOCX by the first bytes, size) is the service's check (services.cv_check).
    return forms.FileField(label="CV", help_text=CV_HELP, error_messages={"required": ERR_CV_REQUIRED},
                           widget=forms.FileInput(attrs={"accept": ".pdf,.docx"}))


class NominationForm(GovukFormMixin, forms.Form):
    """Put a person forward for a key person role, with their CV (paras 48-52, 55)."""

    person_name = forms.CharField(label="Name of the person you nominate", max_length=200,
                                  error_messages={"required": ERR_NOMINATION_NAME})
    statement = forms.CharField(label="Why they are right for the role", widget=forms.Textarea(attrs={"rows": 5}),
                                required=False)
    # Unticked reaches the service, which refuses it with the para 55 message.
    full_time = forms.BooleanField(label="They are available to work full time within the Alliance (para 55)",
                                   required=False)
    cv = _cv_field()


class ReplaceForm(OnePageFormMixin, NominationForm):
    """Put another person forward in place of an undecided nomination."""

    id_prefix = "replace"


class ConfirmForm(forms.Form):
    """A step with nothing to fill in (withdraw, shortlist, approve, handover): the button is the form."""


class RejectForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "reject"
    comments = forms.CharField(label="Why is it rejected? The partner sees your comments",
                               widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": ERR_NOMINATION_COMMENTS})


class InterviewForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "interview"
    held_on = BoundedDateField(label="Date of the interview", widget=DateInput())
    panel = forms.CharField(label="Interview panel", max_length=300)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "Choose an outcome"), *InterviewOutcome.choices])


class ProposeForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "propose"
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text="Leave empty for 14 days from today, at 17:00.")


class CandidatesRequestForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "candidates"
    message = forms.CharField(label="What kind of candidate are you looking for?",
                              widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": ERR_REQUEST_MESSAGE})
    due_date = BoundedDateField(label="Partners answer by", widget=DateInput())


class ReferForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "refer"
    person_name = forms.CharField(label="Name of the person the Board is asked to appoint", max_length=200)
    organisation = forms.ModelChoiceField(label="Their organisation", queryset=None,
                                          empty_label="Choose an organisation")
    statement = forms.CharField(label="Statement to the Board", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text="Leave empty for 14 days from today, at 17:00.")

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(alliance_id=alliance_id).order_by("name")


class LeaveForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    """Record that a key person leaves (para 60); one per post on a role's page, so the prefix names the post."""

    id_prefix = "leave"
    leaving_on = BoundedDateField(label="Leaving on", widget=DateInput())
    reason = forms.CharField(label="Reason", max_length=300, required=False,
                             help_text="For example, moving onto another project.")

    def __init__(self, *args, appointment_id: int | None = None, **kwargs):
        if appointment_id is not None:
            kwargs.setdefault("auto_id", f"leave-{appointment_id}-%s")
        super().__init__(*args, **kwargs)


class NominationFilterForm(GovukFormMixin, forms.Form):
    """The filters of the nominations list; the organisation filter is the Alliance Manager's only."""

    q = forms.CharField(label="Name contains", required=False, max_length=200)
    status = forms.ChoiceField(choices=[("", "Any status"), *NominationStatus.choices], required=False)
    route = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *NominationRoute.choices], required=False)
    role = forms.TypedChoiceField(choices=[], coerce=int, empty_value=None, required=False)
    organisation = forms.ChoiceField(choices=[], required=False)

    def __init__(self, *args, roles, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any role"), *((r.pk, r.title) for r in roles)]
        if organisations is None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].choices = [("", "Any organisation"), *((o.slug, o.name) for o in organisations)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {"status": data["status"], "route": data["route"], "role_id": data["role"],
                "organisation_slug": data.get("organisation") or "", "query": data["q"].strip()}
