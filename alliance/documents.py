"""Uploaded documents (Board papers, instruction attachments, CVs, plans, evidence): checked by their content.

One rule, one place: a document is a PDF or an Office Open XML file (Word, Excel, PowerPoint) no larger than
``DOCUMENT_MAX_BYTES``. The name's extension alone never decides; a renamed text file is refused. Beyond its
first bytes, the whole file is checked without ever being extracted or rendered:

- a PDF must end with ``%%EOF`` (a truncated upload is refused), must not also be a ZIP archive (a polyglot
  that another reader would open as something else), must be readable by a PDF library (pypdf, which decodes
  object streams whatever their filters) and must carry no active content: every object is walked, see
  ``_PdfWalk`` for what is refused and why;
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

import io
import logging
import re
import secrets
import time
import zipfile
import zlib
from typing import TYPE_CHECKING

import pypdf
from django.core.exceptions import ValidationError
from django.http import FileResponse
from pypdf.errors import DependencyError, LimitReachedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject, read_object

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
# Bounds of the PDF check: a hostile PDF may declare millions of objects, nest arrays thousands deep, chain
# references without end or inflate an object stream to gigabytes. Past any bound the PDF is refused as too
# complex (ERR_DOCUMENT_PDF_TOO_COMPLEX): the request never hangs. pypdf parses some 10,000 to 30,000 objects a
# CPU second (bench/pdf_check.py): a 10 MB PDF of scanned pages checks in under 0.5 s of CPU, a 100,000-object
# one in 4 to 8 s. Genuine CVs, plans and evidence have hundreds to a few tens of thousands of objects. The work
# is bounded in CPU time (the same on a busy machine as on an idle one), and the wall clock by a backstop under
# gunicorn's 30 s worker timeout.
PDF_MAX_OBJECTS = 250_000  # indirect objects: cross-reference entries, and definitions found outside it
PDF_MAX_CONTAINERS = 2_000_000  # dictionaries and arrays visited, direct ones included
PDF_MAX_DEPTH = 64  # arrays and dictionaries nested directly in one object (genuine files: under 10)
PDF_CHECK_CPU_SECONDS = 12.0  # this thread's CPU time
PDF_CHECK_SECONDS = 25.0  # wall clock
# Only object and cross-reference streams are decoded (never page content or images); pypdf's limits per
# stream, lowered from its 75 MB defaults: a genuine object stream holds a few hundred objects, well under 1 MB.
PDF_MAX_INFLATED_BYTES = 32 * 1024 * 1024
_PYPDF_LIMITS = {
    "zlib_maximum_output_length": PDF_MAX_INFLATED_BYTES,
    "lzw_maximum_output_length": PDF_MAX_INFLATED_BYTES,
    "run_length_maximum_output_length": PDF_MAX_INFLATED_BYTES,
    "brotli_maximum_output_length": PDF_MAX_INFLATED_BYTES,
    "array_based_stream_maximum_output_length": PDF_MAX_INFLATED_BYTES,
    "stream_decoding_work_maximum_length": 2 * PDF_MAX_INFLATED_BYTES,
}
# pypdf logs a warning for each oddity it repairs: a hostile file would write thousands of lines to the log.
logging.getLogger("pypdf").setLevel(logging.ERROR)

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
ERR_DOCUMENT_PDF_JAVASCRIPT = ("This PDF contains JavaScript, which is not allowed: a CV, plan or evidence is read, "
                               "never run. Print it to a new PDF (or save it without scripts) and upload that. "
                               "Nothing was saved.")
ERR_DOCUMENT_PDF_LAUNCH = ("This PDF contains a launch action (it can start a program on the reader's computer), "
                           "which is not allowed. Print it to a new PDF and upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_EMBEDDED_FILE = ("This PDF contains an embedded file (an attachment inside the PDF), which is not "
                                  "allowed. Upload the attachment separately, or print the PDF to a new PDF and "
                                  "upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_MEDIA = ("This PDF contains embedded media (RichMedia, video, sound or 3D content), which is not "
                          "allowed. Print it to a new PDF and upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_XFA = ("This PDF contains an XFA form, which is not allowed. Fill the form in, print it to a new "
                        "PDF and upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_AUTOMATIC_ACTION = ("This PDF runs an action by itself when it or a page is opened (an open action "
                                     "or an additional action that goes to a web address, another file or a form "
                                     "submission), which is not allowed. Print it to a new PDF and upload that. "
                                     "Nothing was saved.")
ERR_DOCUMENT_PDF_EXTERNAL_ACTION = ("This PDF contains a link or button that submits a form, imports data, opens "
                                    "another file or opens an address that is not a web or email address, which "
                                    "is not allowed. Print it to a new PDF and upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_ENCRYPTED = ("This PDF is encrypted (protected by a password), so its content cannot be checked. "
                              "Save it without a password and upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_UNREADABLE = ("This PDF is damaged or is not a valid PDF, so its content cannot be checked. Save "
                               "it again as a PDF and upload that. Nothing was saved.")
ERR_DOCUMENT_PDF_TOO_COMPLEX = ("This PDF is too complex to check (too many objects, too deeply nested or too much "
                                "compressed data). Print it to a new PDF and upload that. Nothing was saved.")
ERR_DOCUMENT_MACROS = ("This Office file contains macros or ActiveX controls, which are not allowed. Save it as a "
                       "plain .docx, .xlsx or .pptx and upload that. Nothing was saved.")
ERR_DOCUMENT_ARCHIVE = ("This Office file is damaged or unpacks to far more than its size (too many or too large "
                        "parts, or unsafe part names), so it is refused. Save it again and upload it. "
                        "Nothing was saved.")

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


class _TooComplex(Exception):  # noqa: N818 -- a signal inside the walk, turned into ERR_DOCUMENT_PDF_TOO_COMPLEX
    pass


# What the walk refuses, most telling first: a PDF with several kinds of active content is refused naming the
# first of this list it has (so the same file always gets the same message).
_PDF_FINDINGS_ORDER = (ERR_DOCUMENT_PDF_JAVASCRIPT, ERR_DOCUMENT_PDF_LAUNCH, ERR_DOCUMENT_PDF_EMBEDDED_FILE,
                       ERR_DOCUMENT_PDF_MEDIA, ERR_DOCUMENT_PDF_XFA, ERR_DOCUMENT_PDF_AUTOMATIC_ACTION,
                       ERR_DOCUMENT_PDF_EXTERNAL_ACTION)
# Action types (ISO 32000-2, 12.6.4). Those listed here are refused wherever they are; the others (GoTo, URI,
# Named, Hide, SetOCGState, ResetForm, Trans, Thread within the document) only move within the document or open
# a web or email address when the reader clicks, which a CV's or a plan's links and outline genuinely do.
_ACTION_FINDINGS = {
    "/JavaScript": ERR_DOCUMENT_PDF_JAVASCRIPT,
    "/Launch": ERR_DOCUMENT_PDF_LAUNCH,
    "/RichMediaExecute": ERR_DOCUMENT_PDF_MEDIA, "/Rendition": ERR_DOCUMENT_PDF_MEDIA,
    "/Movie": ERR_DOCUMENT_PDF_MEDIA, "/Sound": ERR_DOCUMENT_PDF_MEDIA, "/GoTo3DView": ERR_DOCUMENT_PDF_MEDIA,
    "/SubmitForm": ERR_DOCUMENT_PDF_EXTERNAL_ACTION, "/ImportData": ERR_DOCUMENT_PDF_EXTERNAL_ACTION,
    "/GoToR": ERR_DOCUMENT_PDF_EXTERNAL_ACTION, "/GoToE": ERR_DOCUMENT_PDF_EXTERNAL_ACTION,
    "/GoToDp": ERR_DOCUMENT_PDF_EXTERNAL_ACTION,
}
_ACTION_TYPES = {*_ACTION_FINDINGS, "/GoTo", "/URI", "/Named", "/Hide", "/SetOCGState", "/ResetForm", "/Trans",
                 "/Thread"}
# Annotation (and stream) subtypes that embed a player or a 3D scene, each able to run its own scripts.
_MEDIA_SUBTYPES = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
# A link may open a web or email address, a telephone number or a bare host name (www.example.com); not file:,
# javascript:, data:, smb: or a \\server\share path (which leaks the reader's Windows credentials).
_SAFE_URI = re.compile(r"^(?:(?:https?|mailto|tel):[^\\]*|[A-Za-z0-9][^:/\\]*(?:/[^\\]*)?)$", re.IGNORECASE)
_PDF_WHITESPACE = b"\x00\t\n\x0c\r "
# "12 0 obj": an object's header, found in the raw file 1 MB at a time (the white space between its parts is
# bounded so that one always fits in the overlap of two reads; writers put a single space there).
_OBJECT_HEADER = re.compile(rb"(?<![0-9])[0-9]{1,10}[\x00\t\n\x0c\r ]{1,256}[0-9]{1,5}[\x00\t\n\x0c\r ]{1,256}"
                            rb"obj(?![A-Za-z0-9])")
_CHUNK = 1024 * 1024
_OVERLAP = 1024


class _PdfWalk:
    """Every object of a PDF, visited once, bounded by ``PDF_MAX_*`` and ``PDF_CHECK_*``; ``found`` holds
    the messages of what it refuses:

    - JavaScript anywhere: a ``/JS`` entry, a JavaScript action, a ``/JavaScript`` name tree (document scripts);
    - a launch action (starts a program), and actions that reach outside the document: submitting or importing
      form data, going to another or an embedded file, a link that is not a web or email address;
    - an action that runs by itself: the catalog's ``/OpenAction`` and any ``/AA`` (additional actions: on the
      document, a page, an annotation, a form field) may only go to a place in this document (GoTo); a web
      address opened on opening is how a PDF reports that, and where, it was read;
    - embedded files (an ``/EmbeddedFile`` stream, a file specification's ``/EF``, the ``/EmbeddedFiles`` name
      tree, a file attachment annotation): they carry any file, an executable included, past this check;
    - embedded media (RichMedia, Screen, Movie, Sound, 3D annotations; rendition actions): players with scripts;
    - XFA forms (an AcroForm's ``/XFA``): a second, scriptable document inside the PDF.

    Each is rare in a genuine CV, plan or piece of evidence and a common malware vector (the CVE history of
    Acrobat and PDFium), so refusing costs little: the message says to print to a new PDF, which drops them.
    The walk does not follow the document's structure only (pages, annotations, outline, names, form fields):
    it visits every object the cross-reference lists, those inside object streams included (pypdf decodes them
    whatever their filters, FlateDecode or ASCIIHexDecode), and every object defined in the file but missing
    from the cross-reference, which a reader repairing a damaged file would still find.
    """

    def __init__(self, reader: pypdf.PdfReader, deadline: float, cpu_deadline: float) -> None:
        self.reader, self.deadline, self.cpu_deadline = reader, deadline, cpu_deadline
        self.found: set[str] = set()
        self.seen: set[tuple[int, int]] = set()
        self.containers = 0

    def tick(self) -> None:
        self.containers += 1
        if (self.containers > PDF_MAX_CONTAINERS or time.thread_time() > self.cpu_deadline
                or time.monotonic() > self.deadline):
            raise _TooComplex

    def resolve(self, value):
        if isinstance(value, IndirectObject):
            self.tick()  # resolving may parse a new object, or search a damaged file for it
            return value.get_object()
        return value

    def name(self, value) -> str | None:
        value = self.resolve(value)
        return str(value) if isinstance(value, NameObject) else None

    def walk(self, value) -> None:
        stack = [(value, 0)]
        while stack:
            item, depth = stack.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key not in self.seen:
                    self.seen.add(key)
                    if len(self.seen) > PDF_MAX_OBJECTS:
                        raise _TooComplex
                    stack.append((self.resolve(item), 0))
                continue
            if depth > PDF_MAX_DEPTH:
                raise _TooComplex
            if isinstance(item, DictionaryObject):  # a stream is one too: its dictionary, never its data
                self.tick()
                self.inspect(item)
                stack.extend((child, depth + 1) for child in dict.values(item))
            elif isinstance(item, ArrayObject):
                self.tick()
                stack.extend((child, depth + 1) for child in item)

    def inspect(self, entry: DictionaryObject) -> None:
        if "/JS" in entry:
            self.found.add(ERR_DOCUMENT_PDF_JAVASCRIPT)
        if self.name(dict.get(entry, "/S")) in _ACTION_TYPES:
            self.action(entry, automatic=False)
        kind, subtype = self.name(dict.get(entry, "/Type")), self.name(dict.get(entry, "/Subtype"))
        if kind == "/EmbeddedFile" or "/EF" in entry or subtype == "/FileAttachment":
            self.found.add(ERR_DOCUMENT_PDF_EMBEDDED_FILE)
        if subtype in _MEDIA_SUBTYPES or "/RichMediaContent" in entry:
            self.found.add(ERR_DOCUMENT_PDF_MEDIA)
        if "/XFA" in entry:
            self.found.add(ERR_DOCUMENT_PDF_XFA)
        names = self.resolve(dict.get(entry, "/Names"))
        if isinstance(names, DictionaryObject):  # the catalog's name dictionary (a name tree's /Names is an array)
            if "/JavaScript" in names:
                self.found.add(ERR_DOCUMENT_PDF_JAVASCRIPT)
            if "/EmbeddedFiles" in names:
                self.found.add(ERR_DOCUMENT_PDF_EMBEDDED_FILE)
        if "/OpenAction" in entry:
            opening = self.resolve(dict.get(entry, "/OpenAction"))
            if not isinstance(opening, ArrayObject):  # an array is a destination: the page and zoom to open at
                self.automatic(opening)
        triggers = self.resolve(dict.get(entry, "/AA"))
        if isinstance(triggers, DictionaryObject):
            for trigger in dict.values(triggers):
                self.automatic(trigger)

    def action(self, action: DictionaryObject, *, automatic: bool) -> None:
        kind = self.name(dict.get(action, "/S"))
        if "/JS" in action or kind in _ACTION_FINDINGS:
            self.found.add(_ACTION_FINDINGS.get(kind, ERR_DOCUMENT_PDF_JAVASCRIPT))
        if automatic and kind != "/GoTo":
            self.found.add(ERR_DOCUMENT_PDF_AUTOMATIC_ACTION)
        if kind == "/URI":
            uri = self.resolve(dict.get(action, "/URI"))
            text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri) if isinstance(uri, str) else ""
            if not _SAFE_URI.match(text.strip()):
                self.found.add(ERR_DOCUMENT_PDF_EXTERNAL_ACTION)
        if kind == "/Thread" and "/F" in action:  # an article thread in another file
            self.found.add(ERR_DOCUMENT_PDF_EXTERNAL_ACTION)

    def automatic(self, value) -> None:
        """An action run without a click, with the actions chained after it (``/Next``: one or an array)."""
        pending, done = [value], set()
        while pending:
            action = self.resolve(pending.pop())
            if id(action) in done:
                continue
            done.add(id(action))
            self.tick()
            if isinstance(action, DictionaryObject):
                self.action(action, automatic=True)
                following = self.resolve(dict.get(action, "/Next"))
                pending.extend(following if isinstance(following, ArrayObject) else [following])
            elif action is not None and not isinstance(action, ArrayObject):
                self.found.add(ERR_DOCUMENT_PDF_AUTOMATIC_ACTION)  # neither an action nor a destination

    def unlisted(self, upload: UploadedFile) -> None:
        """Objects defined in the file but not where the cross-reference says: an earlier definition of a number
        (shadowed by an update), or one no table lists. A reader that finds the table damaged rebuilds it from
        these headers, so they are checked too, object streams among them unpacked."""
        listed = {offset for table in self.reader.xref.values() for offset in table.values()}
        headers = [end for start, end in _object_headers(upload) if start not in listed]
        if len(headers) > PDF_MAX_OBJECTS:
            raise _TooComplex
        for end in headers:  # read once the scan is over: pypdf moves the same file's position
            self.tick()
            found = _quietly(lambda end=end: _object_at(self.reader.stream, end, self.reader))
            self.walk(found)
            if isinstance(found, StreamObject) and self.name(dict.get(found, "/Type")) == "/ObjStm":
                for packed in _quietly(lambda found=found: self.object_stream(found)) or []:
                    self.walk(packed)

    def object_stream(self, stream: StreamObject) -> list:
        """The objects packed in an object stream no cross-reference lists (pypdf unpacks only listed ones)."""
        data = stream.get_data()  # decoded within pypdf's limits (_PYPDF_LIMITS)
        count, first = int(self.resolve(stream["/N"])), int(self.resolve(stream["/First"]))
        body, objects = io.BytesIO(data), []
        for offset in data[:first].split()[1:2 * count:2]:
            self.tick()
            objects.append(_quietly(lambda offset=offset: _object_at(body, first + int(offset), self.reader)))
        return objects


def _quietly(parse):
    """What ``parse()`` returns, or None if the bytes are not an object after all (a run of image data that looks
    like an object's header): what no reader can parse, no reader runs."""
    try:
        return parse()
    except _TooComplex:
        raise
    except Exception:
        return None


def _object_headers(upload: UploadedFile):
    """(start, end) of each object header in the file, read 1 MB at a time (never the whole file in memory)."""
    upload.seek(0)
    position, tail, last = 0, b"", -1
    while block := upload.read(_CHUNK):
        data, base = tail + block, position - len(tail)
        for match in _OBJECT_HEADER.finditer(data):
            if base + match.start() > last:  # a header in the overlap is found by both reads
                last = base + match.start()
                yield last, base + match.end()
        position += len(block)
        tail = block[-_OVERLAP:]


def _object_at(stream, position: int, reader: pypdf.PdfReader):
    """The object written at ``position`` (after any white space)."""
    stream.seek(position)
    while (byte := stream.read(1)) and byte in _PDF_WHITESPACE:
        pass
    stream.seek(-len(byte), 1)
    return read_object(stream, reader)


def _pdf_reader(raw) -> pypdf.PdfReader:
    """pypdf's reader of the file; for a file without a cross-reference section or ``startxref`` (a hand-written or
    truncated-at-the-end PDF that viewers still open by scanning its objects), the reader of the same bytes with a
    ``startxref`` pointing nowhere, so that pypdf rebuilds the cross-reference from the objects it finds, as a
    viewer does: what the viewer would show is what is checked. The contract's minimal PDF
    ("%PDF-1.4 1 0 obj<< /Type /Catalog >>endobj trailer<< /Root 1 0 R >> %%EOF") is such a file."""
    try:
        return pypdf.PdfReader(raw, strict=False, xref_stream_maximum_entries=PDF_MAX_OBJECTS)
    except PdfReadError as error:
        if "startxref" not in str(error):
            raise
    raw.seek(0)
    repaired = io.BytesIO(raw.read() + b"\nstartxref\n0\n%%EOF\n")  # uploads are bounded (DOCUMENT_MAX_BYTES)
    return pypdf.PdfReader(repaired, strict=False, xref_stream_maximum_entries=PDF_MAX_OBJECTS)


def _pdf_finding(upload: UploadedFile) -> str | None:
    """The message refusing this PDF (ERR_DOCUMENT_PDF_*), or None if it is clean. pypdf reads the upload where
    Django keeps it (a large one stays in its temporary file) and only what it needs."""
    deadline, cpu_deadline = time.monotonic() + PDF_CHECK_SECONDS, time.thread_time() + PDF_CHECK_CPU_SECONDS
    try:
        with pypdf.apply_configuration(**_PYPDF_LIMITS):
            # pypdf reads a byte at a time: give it the file itself (a BytesIO, or the temporary file's own
            # buffered file) rather than Django's and tempfile's proxies, which made the check three times slower.
            raw = getattr(upload, "file", upload)
            raw = getattr(raw, "file", raw)
            raw.seek(0)
            reader = _pdf_reader(raw)
            if reader.is_encrypted and reader.decrypt("") == pypdf.PasswordType.NOT_DECRYPTED:
                # Only a PDF that opens without a password (an owner password restricts printing or copying) can
                # be inspected: strings and streams are encrypted.
                return ERR_DOCUMENT_PDF_ENCRYPTED
            listed = sum(len(table) for table in reader.xref.values()) + len(reader.xref_objStm)
            if listed > PDF_MAX_OBJECTS:
                return ERR_DOCUMENT_PDF_TOO_COMPLEX
            walk = _PdfWalk(reader, deadline, cpu_deadline)
            if not isinstance(walk.resolve(dict.get(reader.trailer, "/Root")), DictionaryObject):
                return ERR_DOCUMENT_PDF_UNREADABLE  # no document catalog: nothing a reader could show
            walk.walk(reader.trailer)
            for generation, table in list(reader.xref.items()):
                for number in list(table):
                    walk.walk(IndirectObject(number, generation, reader))
            for number in list(reader.xref_objStm):
                walk.walk(IndirectObject(number, 0, reader))
            if not reader.is_encrypted:  # an encrypted file's unlisted objects could not be decrypted here
                walk.unlisted(upload)
    except DependencyError:  # AES encryption: pypdf needs the cryptography package to decrypt it
        return ERR_DOCUMENT_PDF_ENCRYPTED
    except (_TooComplex, LimitReachedError, RecursionError, MemoryError):
        return ERR_DOCUMENT_PDF_TOO_COMPLEX
    except Exception:
        # Whatever pypdf cannot read is refused: a reader's repairs might show what this check did not see.
        return ERR_DOCUMENT_PDF_UNREADABLE
    return next((message for message in _PDF_FINDINGS_ORDER if message in walk.found), None)


def _pdf_check(upload: UploadedFile, field: str) -> None:
    upload.seek(0)
    if zipfile.is_zipfile(upload):  # looks for a ZIP's end record in the last 64 KB, whatever comes first
        _refuse(field, ERR_DOCUMENT_POLYGLOT)
    upload.seek(max(0, upload.size - PDF_TAIL_BYTES))
    if b"%%EOF" not in upload.read(PDF_TAIL_BYTES):
        _refuse(field, ERR_DOCUMENT_PDF_TRUNCATED)
    message = _pdf_finding(upload)
    if message:
        _refuse(field, message)


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
