"""Uploaded documents (Board papers, instruction attachments, CVs, plans): checked by their first bytes.

One rule, one place: a document is a PDF or an Office Open XML file (Word, Excel, PowerPoint) no larger than
``DOCUMENT_MAX_BYTES``. The name's extension alone never decides; a renamed text file is refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import FileResponse

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
OOXML = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ERR_DOCUMENT_TYPE = "A document must be a PDF, Word, Excel or PowerPoint file."
ERR_DOCUMENT_SIZE = "A document must be smaller than 20 MB."
ERR_DOCUMENT_EMPTY = "The file is empty."


def document_kind(head: bytes, name: str) -> str | None:
    """The content type of a document from its first bytes (never from its name alone), or None if refused."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"PK\x03\x04") and extension in OOXML and b"[Content_Types].xml" in head[:2048]:
        return OOXML[extension]
    return None


def document_content_type(upload: UploadedFile, *, field: str = "file", kinds: set[str] | None = None,
                          type_error: str = ERR_DOCUMENT_TYPE, size_error: str = ERR_DOCUMENT_SIZE,
                          max_bytes: int = DOCUMENT_MAX_BYTES, empty_error: str = ERR_DOCUMENT_EMPTY) -> str:
    """Check an upload and return its content type, or raise a ValidationError on ``field`` saying why.

    ``kinds`` narrows the accepted content types (a CV: PDF or Word only); ``max_bytes`` the size. Only the
    first 4 KB are read: a large upload stays in its temporary file.
    """
    if not upload.size:
        raise ValidationError({field: [empty_error]})
    if upload.size > max_bytes:
        raise ValidationError({field: [size_error]})
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    content_type = document_kind(head, upload.name or "")
    if content_type is None or (kinds is not None and content_type not in kinds):
        raise ValidationError({field: [type_error]})
    return content_type


def private_file_response(handle, *, filename: str, content_type: str) -> FileResponse:
    """A private document (a CV, evidence) as an attachment the browser never renders: nosniff, no caching. The
    one way such a file leaves the server; the caller has checked permission and logged the access."""
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

