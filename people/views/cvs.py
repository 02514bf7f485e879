"""Downloading and deleting a CV from the pages. The file is served only here (and by the API), after the
permission check, as an attachment with nosniff; each download is logged."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from people import selectors
from people.api import cv_response
from people.services import cvs


def cv_download(request, pk: int):
    nomination = selectors.nomination_for(request.user, pk)
    return cv_response(cvs.cv_open(actor=request.user, nomination=nomination, via="web"), nomination)


@require_POST
def cv_delete(request, pk: int):
    """The submitting partner asks for its CV to be deleted; the nomination stays, without the file."""
    nomination = selectors.nomination_for(request.user, pk)
    try:
        cvs.cv_delete(actor=request.user, nomination=nomination)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"The CV of {nomination.person_name} was deleted.")
    return redirect("people-nomination", pk=pk)
