"""Forms of the strategy document pages: shape only; the rules are the services'
(supplychain.services.documents)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from supplychain.services.documents import (
    DOCUMENT_SECTIONS,
    ERR_DOCUMENT_COMMENTS,
    ERR_DOCUMENT_HORIZON,
    ERR_DOCUMENT_TITLE,
)

__all__ = [
    "DocumentAcceptForm",
    "DocumentEditForm",
    "DocumentReturnForm",
    "DocumentSubmitForm",
]


def section_field_name(code: str) -> str:
    return f"section_{code.replace('-', '_')}"


class DocumentEditForm(GovukFormMixin, forms.Form):
    """A draft: its title, the first year of its five-year horizon (para 112) and one text box per section of its
    kind's catalogue. Sections may be left empty while drafting; submission needs them all."""

    title = forms.CharField(label="Title", max_length=200, error_messages={"required": ERR_DOCUMENT_TITLE})
    horizon_from = forms.IntegerField(
        label="First year of the five-year horizon", min_value=2000, max_value=2100,
        help_text="The document covers five years from this one (para 112).",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric",
                                      "spellcheck": "false"}),
        error_messages={"required": ERR_DOCUMENT_HORIZON, "invalid": ERR_DOCUMENT_HORIZON,
                        "min_value": ERR_DOCUMENT_HORIZON, "max_value": ERR_DOCUMENT_HORIZON},
    )

    def __init__(self, *args, kind: str, **kwargs):
        self.catalogue = DOCUMENT_SECTIONS[kind]
        super().__init__(*args, **kwargs)
        for code, heading, paragraph in self.catalogue:
            self.fields[section_field_name(code)] = forms.CharField(
                label=heading, required=False, help_text=f"Seeds, {paragraph}.",
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
            )

    def section_fields(self):
        return [self[section_field_name(code)] for code, _heading, _paragraph in self.catalogue]

    def sections(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(section_field_name(code)) or "" for code, _h, _p in self.catalogue}


def initial_for(document) -> dict:
    return {"title": document.title, "horizon_from": document.horizon_from,
            **{section_field_name(code): document.sections.get(code, "")
               for code, _heading, _paragraph in DOCUMENT_SECTIONS[document.kind]}}


class DocumentSubmitForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "submit"
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text="At 17:00. Leave empty for 14 days from today.")


class DocumentAcceptForm(forms.Form):
    """Nothing to fill in: the button accepts the version."""


class DocumentReturnForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "return"
    comments = forms.CharField(label="Comments for the Alliance Supply Chain team", widget=forms.Textarea,
                               error_messages={"required": ERR_DOCUMENT_COMMENTS})
