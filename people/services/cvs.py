"""CVs: checked by content, kept privately, every download logged, deleted on request or after retention.

A CV is personal data (docs/domain.md section 3). The file is checked before anything is written: a refused file
leaves nothing behind, on disk or in the database. A file that was stored for a row that then failed to save is
deleted again. Deletion of a file waits for the commit, so a rolled-back deletion never loses a file the
database still points at.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from alliance.dates import add_months
from alliance.documents import OOXML, document_content_type
from alliance.storage import cv_upload_to
from alliance.workflow import require, save_with_reason
from people.models import CvAccess, CvAccessAction, Nomination, NominationStatus
from people.permissions import can_change_nomination, can_view_cv

if TYPE_CHECKING:
    from django.core.files import File
    from django.core.files.uploadedfile import UploadedFile

    from alliance.models import Person

CV_MAX_BYTES = 10 * 1024 * 1024
CV_KINDS = {"application/pdf", OOXML["docx"]}
ERR_CV_REQUIRED = "Attach the person's CV: a PDF or Word (.docx) file."
ERR_CV_TYPE = ("A CV must be a PDF or Word (.docx) file; this file's content is neither, whatever its name says. "
               "Nothing was saved.")
ERR_CV_SIZE = "A CV must be no larger than 10 MB. Nothing was saved."
ERR_CV_EMPTY = "The CV file is empty. Nothing was saved."
ERR_CV_GONE = "This CV has been deleted."
ERR_CV_NOT_YOURS = "Only the organisation that submitted a CV can delete it."
DECIDED_STATUSES = (NominationStatus.APPOINTED, NominationStatus.NOT_APPOINTED, NominationStatus.REJECTED,
                    NominationStatus.WITHDRAWN, NominationStatus.REPLACED)
_NAME_LENGTH = 255


def cv_check(upload: UploadedFile | None, *, field: str = "cv") -> str:
    """Refuse a missing, empty, oversized or non-PDF/DOCX file (by its first bytes); return its content type."""
    if upload is None:
        raise ValidationError({field: [ERR_CV_REQUIRED]})
    return document_content_type(upload, field=field, kinds=CV_KINDS, type_error=ERR_CV_TYPE,
                                 size_error=ERR_CV_SIZE, max_bytes=CV_MAX_BYTES, empty_error=ERR_CV_EMPTY)


def save_with_cv(nomination: Nomination, upload: UploadedFile | None, content_type: str, actor: Person, reason: str) -> None:
    """Store the checked file, then the row; if the row fails, the file goes too (nothing stored).

    The storage moves Django's temporary upload file into place (a file over FILE_UPLOAD_MAX_MEMORY_SIZE is
    never held in memory) or copies it in chunks.
    """
    if upload is None:  # cv_check refused it already
        raise ValidationError({"cv": [ERR_CV_REQUIRED]})
    nomination.cv_content_type = content_type
    nomination.cv_size = upload.size or 0
    nomination.cv_name = (upload.name or "cv")[-_NAME_LENGTH:]
    storage = nomination.cv.storage
    name = storage.save(cv_upload_to(nomination, upload.name or ""), upload)
    nomination.cv.name = name
    try:
        with transaction.atomic():
            save_with_reason(nomination, actor, reason)
    except BaseException:
        storage.delete(name)
        raise
    # If an outer transaction rolls back later, the file would be orphaned; the purge ignores it (no row),
    # and the row that would have pointed at it does not exist. Files are named by random tokens.


def cv_open(*, actor: Person, nomination: Nomination, via: str = "web") -> File:
    """Open a CV for download, after checking the actor may read it; the access is logged (who, when)."""
    if not can_view_cv(actor, nomination):
        raise Http404
    try:
        handle = nomination.cv.storage.open(nomination.cv.name, "rb")
    except FileNotFoundError:
        raise Http404 from None  # lost from disk (a restore without the private volume): nothing to serve
    CvAccess.objects.create(nomination=nomination, person=actor, action=CvAccessAction.DOWNLOAD, via=via)
    return handle


def _forget_file(nomination: Nomination, *, actor: Person | None, reason: str, via: str) -> None:
    name, storage = nomination.cv.name, nomination.cv.storage
    nomination.cv = ""
    nomination.cv_deleted_at = timezone.now()
    nomination.cv_deleted_reason = reason
    save_with_reason(nomination, actor, reason)
    CvAccess.objects.create(nomination=nomination, person=actor, action=CvAccessAction.DELETE, via=via)
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def cv_delete(*, actor: Person, nomination: Nomination, via: str = "web") -> Nomination:
    """Delete a CV on the submitting partner's request; the nomination and its decision stay, without the file."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    require(can_change_nomination(actor, nomination), ERR_CV_NOT_YOURS)
    if not nomination.has_cv:
        raise ValidationError(ERR_CV_GONE)
    _forget_file(nomination, actor=actor, reason="CV deleted at the partner's request", via=via)
    return nomination


def cvs_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the CVs of nominations decided more than CV_RETENTION_MONTHS ago (the retention job). Idempotent:
    a purged CV has no file left to purge. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff_day = add_months(timezone.localdate(now), -settings.CV_RETENTION_MONTHS)
    cutoff = timezone.make_aware(dt.datetime.combine(cutoff_day, dt.time.max))
    purged = 0
    due = (Nomination.objects.filter(status__in=DECIDED_STATUSES, decided_at__lte=cutoff, cv_deleted_at__isnull=True)
           .exclude(cv="").values_list("pk", flat=True))
    for pk in list(due):
        with transaction.atomic():
            # Compare-and-set under a row lock: a concurrent run, or a partner deleting it now, got there first.
            nomination = Nomination.objects.select_for_update().filter(pk=pk, cv_deleted_at__isnull=True).first()
            if nomination is None or not nomination.cv:
                continue
            _forget_file(nomination, actor=None, via="retention",
                         reason=f"CV deleted {settings.CV_RETENTION_MONTHS} months after the decision")
            purged += 1
    return purged
