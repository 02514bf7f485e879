"""Uploaded documents (Board papers, instruction attachments, CVs, plans, evidence): checked by their content.

One rule, one place: a document is a PDF or an Office Open XML file (Word, Excel, PowerPoint) no larger than
``DOCUMENT_MAX_BYTES``. The name's extension alone never decides; a renamed text file is refused. Beyond its
first bytes, the whole file is checked without ever being extracted or rendered:

- a PDF must end with ``%%EOF`` (a truncated upload is refused), must not also be a ZIP archive (a polyglot
  that another reader would open as something else), and must carry no active content (see ``PDF_ACTIVE``);
- an Office file is opened as a ZIP by its central directory only (``zipfile`` never extracts here): it must
  have ``[Content_Types].xml`` and its main part (``word/document.xml`` for Word), a bounded member count and
  a bounded declared unpacked size and compression ratio (a zip bomb is refused before anyone unpacks it), no
  absolute or ``..`` member names, and no macros (``vbaProject.bin``, a macro-enabled content type);
- the client's file name is kept only for display and must be printable (no NUL, no line breaks: a name is
  later put in a ``Content-Disposition`` header and in the database). Its extension, when it has one, must
  match the content, so ``cv.pdf.exe`` is refused even if its bytes are a PDF. Stored files are always named
  by a random token by the callers, never by the client's name.
"""

from __future__ import annotations

import re
import secrets
import zipfile
import zlib
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
PDF = "application/pdf"
# The main part each Office kind must have (ECMA-376 part names as Word, Excel and PowerPoint write them).
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
EXTENSIONS = {PDF: {"pdf"}, **{content_type: {kind} for kind, content_type in OOXML.items()}}

# Bounds of an Office file's ZIP, read from its central directory (declared sizes; nothing is unpacked).
# A real CV or plan has tens to a few hundred members and unpacks to a few times its size.
ZIP_MAX_MEMBERS = 2_000
ZIP_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100  # per member, once it declares more than ZIP_RATIO_FLOOR bytes
ZIP_RATIO_FLOOR = 1024 * 1024
# A PDF reader looks for the end-of-file marker in the last 1,024 bytes (ISO 32000-1, 7.5.5, implementation note).
PDF_TAIL_BYTES = 1024
# Object streams are inflated (never rendered) to look for active content hidden in compressed dictionaries;
# more than this in total is itself refused (a decompression bomb).
PDF_MAX_INFLATED_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
_OVERLAP = 64

ERR_DOCUMENT_TYPE = "A document must be a PDF, Word, Excel or PowerPoint file."
ERR_DOCUMENT_SIZE = "A document must be smaller than 20 MB."
ERR_DOCUMENT_EMPTY = "The file is empty."
ERR_DOCUMENT_NAME = ("The file's name has characters that are not allowed (such as a NUL or a line break). "
                     "Rename the file and upload it again. Nothing was saved.")
ERR_DOCUMENT_EXTENSION = ("The file's name ends in .{extension}, which does not match its content ({kind}). "
                          "Rename the file to end in .{expected} and upload it again. Nothing was saved.")
ERR_DOCUMENT_PDF_TRUNCATED = ("This PDF is incomplete (it has no end-of-file marker): the upload may have been "
                              "cut short. Save the PDF again and upload it. Nothing was saved.")
ERR_DOCUMENT_POLYGLOT = ("This file is both a PDF and a ZIP archive, so other programs could open it as "
                         "something else. Save it again as a plain PDF and upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_ACTIVE = ("This PDF contains active content (JavaScript, a launch action, an embedded file or "
                           "embedded media), which is not allowed. Print it to a new PDF and upload that. "
                           "Nothing was saved.")
ERR_DOCUMENT_MACROS = ("This Office file contains macros or ActiveX controls, which are not allowed. Save it as a "
                       "plain .docx, .xlsx or .pptx and upload that. Nothing was saved.")
ERR_DOCUMENT_ARCHIVE = ("This Office file is damaged or unpacks to far more than its size (too many or too large "
                        "parts, or unsafe part names), so it is refused. Save it again and upload it. "
                        "Nothing was saved.")

# Active content refused in a PDF. A CV, a plan or evidence is read, never run: JavaScript (/JavaScript, /JS)
# runs in the reader, /Launch starts a program, /EmbeddedFile(s) carries any file (an executable included)
# past this check, /RichMedia embeds Flash or video players. All are rare in genuine documents and a common
# malware vector (CVE history of Acrobat and PDFium), so refusing them costs little. A name may be written
# with #xx escapes (/J#61vaScript); they are decoded before matching.
PDF_ACTIVE = (b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia")
_PDF_ACTIVE_RE = re.compile(rb"/(?:" + b"|".join(PDF_ACTIVE) + rb")(?=[\s()<>\[\]{}/%]|$)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_OBJSTM = b"/ObjStm"
_MACRO_MEMBERS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$|(^|/)activeX/", re.IGNORECASE)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def document_kind(head: bytes, name: str) -> str | None:
    """The content type a document claims by its first bytes (never by its name alone), or None if refused.

    A first look only: ``document_content_type`` then checks the whole file."""
    if head.startswith(b"%PDF-"):
        return PDF
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if head.startswith(b"PK\x03\x04") and extension in OOXML and b"[Content_Types].xml" in head[:2048]:
        return OOXML[extension]
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"  # decided by its members in _ooxml_kind
    return None


def _refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def _chunks(upload: UploadedFile, start: int = 0):
    """(offset, bytes) of the file in 1 MB chunks from ``start``, each chunk beginning with the last few bytes of
    the one before, so that a token split across two is still seen."""
    upload.seek(start)
    position, tail = start, b""
    while True:
        block = upload.read(_CHUNK)
        if not block:
            return
        yield position - len(tail), tail + block
        position += len(block)
        tail = block[-_OVERLAP:]


def _has_active(data: bytes) -> bool:
    return bool(_PDF_ACTIVE_RE.search(_PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)))


def _pdf_check(upload: UploadedFile, field: str) -> None:
    upload.seek(0)
    if zipfile.is_zipfile(upload):  # looks for a ZIP's end record in the last 64 KB, whatever comes first
        _refuse(field, ERR_DOCUMENT_POLYGLOT)
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    if b"%%EOF" not in upload.read(PDF_TAIL_BYTES):
        _refuse(field, ERR_DOCUMENT_PDF_TRUNCATED)
    object_streams: set[int] = set()
    for offset, chunk in _chunks(upload):
        if _has_active(chunk):
            _refuse(field, ERR_DOCUMENT_PDF_ACTIVE)
        object_streams.update(offset + m.start() for m in re.finditer(re.escape(_OBJSTM), chunk))
    # Dictionaries (and so /JS or /Launch keys) can hide in compressed object streams: inflate each one,
    # bounded in total, and look again. Other filters (ASCIIHex, LZW) are not decoded: a best effort.
    inflated = 0
    for position in sorted(object_streams):
        upload.seek(position)
        window = upload.read(4096)
        keyword = window.find(b"stream")
        if keyword == -1:
            continue
        data_start = position + keyword + len(b"stream")
        upload.seek(data_start)
        lead = upload.read(2)
        data_start += 2 if lead == b"\r\n" else 1 if lead[:1] in (b"\r", b"\n") else 0
        upload.seek(data_start)
        inflater, tail = zlib.decompressobj(), b""
        while not inflater.eof and (block := upload.read(_CHUNK)):
            try:
                out = inflater.decompress(block, PDF_MAX_INFLATED_BYTES - inflated + 1)
            except zlib.error:
                break  # not Flate, or damaged: what a reader cannot inflate it cannot run either
            inflated += len(out)
            if inflated > PDF_MAX_INFLATED_BYTES or inflater.unconsumed_tail:
                _refuse(field, ERR_DOCUMENT_ARCHIVE)
            if _has_active(tail + out):
                _refuse(field, ERR_DOCUMENT_PDF_ACTIVE)
            tail = out[-_OVERLAP:]


def _safe_member_name(name: str) -> bool:
    if not name or _UNPRINTABLE.search(name) or "\\" in name:
        return False
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in name.split("/")


def _ooxml_kind(upload: UploadedFile, field: str, type_error: str) -> str:
    """Open the ZIP by its central directory (never extracting a member to disk) and return the Office
    content type its members show, or refuse it."""
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        _refuse(field, type_error)
    with archive:
        members = archive.infolist()
        if len(members) > ZIP_MAX_MEMBERS:
            _refuse(field, ERR_DOCUMENT_ARCHIVE)
        unpacked = 0
        names = set()
        for member in members:
            if not _safe_member_name(member.filename) or member.flag_bits & 0x1:  # 0x1: encrypted member
                _refuse(field, ERR_DOCUMENT_ARCHIVE)
            unpacked += member.file_size
            if unpacked > ZIP_MAX_UNPACKED_BYTES:
                _refuse(field, ERR_DOCUMENT_ARCHIVE)
            if member.file_size > ZIP_RATIO_FLOOR and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
                _refuse(field, ERR_DOCUMENT_ARCHIVE)
            names.add(member.filename)
        if "[Content_Types].xml" not in names:
            _refuse(field, type_error)
        if any(_MACRO_MEMBERS.search(name) for name in names):
            _refuse(field, ERR_DOCUMENT_MACROS)
        try:
            with archive.open("[Content_Types].xml") as handle:
                content_types = handle.read(1024 * 1024)  # bounded even if the declared size lies
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error):
            _refuse(field, ERR_DOCUMENT_ARCHIVE)
        if b"macroenabled" in content_types.lower() or b"vbaproject" in content_types.lower():
            _refuse(field, ERR_DOCUMENT_MACROS)
        for kind, part in OOXML_MAIN_PART.items():
            if part in names:
                return OOXML[kind]
    _refuse(field, type_error)
    raise AssertionError("unreachable")  # pragma: no cover


def document_content_type(upload: UploadedFile, *, field: str = "file", kinds: set[str] | None = None,
                          type_error: str = ERR_DOCUMENT_TYPE, size_error: str = ERR_DOCUMENT_SIZE,
                          max_bytes: int = DOCUMENT_MAX_BYTES, empty_error: str = ERR_DOCUMENT_EMPTY) -> str:
    """Check an upload and return its content type, or raise a ValidationError on ``field`` saying why.

    ``kinds`` narrows the accepted content types (a CV: PDF or Word only); ``max_bytes`` the size. The file is
    read in 1 MB chunks from where Django keeps it (a large upload stays in its temporary file).
    """
    if not upload.size:
        raise ValidationError({field: [empty_error]})
    if upload.size > max_bytes:
        raise ValidationError({field: [size_error]})
    name = upload.name or ""
    if _UNPRINTABLE.search(name):
        raise ValidationError({field: [ERR_DOCUMENT_NAME]})
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    content_type = document_kind(head, name)
    try:
        if content_type == PDF:
            if kinds is not None and PDF not in kinds:
                raise ValidationError({field: [type_error]})
            _pdf_check(upload, field)
        elif content_type is not None:
            content_type = _ooxml_kind(upload, field, type_error)
    finally:
        upload.seek(0)
    if content_type is None or (kinds is not None and content_type not in kinds):
        raise ValidationError({field: [type_error]})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name.strip(".") else ""
    expected = EXTENSIONS[content_type]
    if extension and extension not in expected:
        kind = "PDF" if content_type == PDF else f"an Office .{min(expected)} file"
        raise ValidationError({field: [ERR_DOCUMENT_EXTENSION.format(extension=extension, kind=kind,
                                                                     expected=min(expected))]})
    return content_type


def stored_name(content_type: str) -> str:
    """A random file name for a checked document: the client's name is kept for display only, never on disk
    (it may carry a path, a person's name or a misleading extension)."""
    extension = min(EXTENSIONS.get(content_type, {"bin"}))
    return f"{secrets.token_hex(16)}.{extension}"


def private_file_response(handle, *, filename: str, content_type: str) -> FileResponse:
    """A private document (a CV, evidence) as an attachment the browser never renders: nosniff, no caching. The
    one way such a file leaves the server; the caller has checked permission and logged the access."""
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
