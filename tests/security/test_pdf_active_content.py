"""Active content in PDFs (issue 16, item 7): every uploaded PDF (a key person's CV, para 55; a Production Hub
CV, para 67; Board papers, instruction documents, mobilisation evidence) is read with a PDF library that decodes
object streams, and refused, naming what it found, when it carries JavaScript, an action that runs by itself, a
launch action, an embedded file, embedded media or an XFA form; or when it is encrypted or unreadable.

The PDFs are written here byte by byte (``tests.pdf_samples``), with genuine cross-references, so that the check
reads them as a reader would; the clean ones are written by reportlab as real documents are. The hostile-file
matrix (tests/security/test_hostile_files.py) sends some of them through every upload point as well.
"""

# ruff: noqa: F811 -- the people app's fixtures are imported by name (below) and then used as arguments.
from __future__ import annotations

import functools
import html
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

from alliance import documents
from mobilisation.models import Deliverable, DeliverableEvidence
from mobilisation.services import deliverables as mob
from people.models import Nomination
from people.services.cvs import CV_MAX_BYTES, ERR_CV_TYPE
from tests.pdf_samples import PAGES, minimal_pdf, pdf_bytes
from tests.people.conftest import catalogue, people, role  # noqa: F401 (fixtures)

CV_CHECK = dict(field="cv", kinds={documents.PDF, documents.OOXML["docx"]}, type_error=ERR_CV_TYPE,
                max_bytes=CV_MAX_BYTES)


def _catalog(extra: bytes, **objects: bytes) -> dict[int, bytes]:
    """The one-page document of ``tests.pdf_samples`` with ``extra`` in its catalog."""
    return {**PAGES, 1: b"<</Type/Catalog/Pages 2 0 R" + extra + b">>",
            **{int(number.lstrip("o")): body for number, body in objects.items()}}


def _page(extra: bytes, **objects: bytes) -> dict[int, bytes]:
    """The same document with ``extra`` in its page (annotations, additional actions)."""
    return {**PAGES, 3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]" + extra + b">>",
            **{int(number.lstrip("o")): body for number, body in objects.items()}}


LINK = b"/Type/Annot/Subtype/Link/Rect[72 700 300 715]"
JS = b"<</S/JavaScript/JS(app.alert\\(document.cookie\\))>>"


def _encrypted(user_password: str, *, javascript: bool = False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if javascript:  # strings and streams are encrypted, names (/S/JavaScript) are not
        writer.root_object[NameObject("/OpenAction")] = writer._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1);")}))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


HEX_JS = (b"4 0\n" + JS).hex().encode()  # an object stream holding object 4, the JavaScript action


def _unlisted(body: bytes) -> bytes:
    """A clean PDF with object 9 (``body``) written in the file where no cross-reference lists it (in the room of
    a comment, so every listed offset stays right): what a reader rebuilding a damaged table would find."""
    room = 400
    clean = pdf_bytes(PAGES, padding=room)
    comment = b"%" + b"0" * (room - 2) + b"\n"
    hidden = b"9 0 obj\n" + body + b"\nendobj\n"
    filler = b"%" + b"0" * (room - len(hidden) - 2) + b"\n"
    assert comment in clean and len(hidden + filler) == room
    return clean.replace(comment, hidden + filler)


@functools.cache
def _deep_nesting() -> bytes:
    depth = 5_000
    return pdf_bytes(_catalog(b"/Deep 4 0 R", o4=b"[" * depth + b"]" * depth))


@functools.cache
def _object_stream_bomb() -> bytes:
    """An object stream (listed in a cross-reference stream) that inflates to 64 MB, from about 64 KB packed."""
    return pdf_bytes(_catalog(b"/Bomb 4 0 R"), packed={4: b"<<>>" + b" " * (64 * 1024 * 1024)})


# (id, PDF, the message it is refused with)
HOSTILE_PDFS = [
    # The issue's own cases: JavaScript packed in an object stream, whatever its filters, and a web address opened
    # by itself.
    ("javascript-in-flate-object-stream", lambda: pdf_bytes(_catalog(b"/OpenAction 4 0 R"), packed={4: JS}),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("javascript-in-asciihex-object-stream",
     lambda: pdf_bytes(_page(b"/Annots[4 0 R]"), packed={4: b"<<" + LINK + b"/A 5 0 R>>", 5: JS},
                       filters=("ASCIIHexDecode",)), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("javascript-in-asciihex-then-flate-object-stream",
     lambda: pdf_bytes(_catalog(b"/OpenAction 4 0 R"), packed={4: JS}, filters=("ASCIIHexDecode", "FlateDecode")),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("openaction-uri", lambda: pdf_bytes(_catalog(b"/OpenAction<</S/URI/URI(https://tracker.example/open?id=7)>>")),
     documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
    ("openaction-uri-in-object-stream", lambda: pdf_bytes(_catalog(b"/OpenAction 4 0 R"),
                                                          packed={4: b"<</S/URI/URI(https://tracker.example/)>>"}),
     documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
    ("openaction-goto-then-uri", lambda: pdf_bytes(_catalog(
        b"/OpenAction<</S/GoTo/D[3 0 R/Fit]/Next[<</S/URI/URI(https://tracker.example/)>>]>>")),
     documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
    ("openaction-javascript", lambda: pdf_bytes(_catalog(b"/OpenAction " + JS)), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("openaction-submit-form",
     lambda: pdf_bytes(_catalog(b"/OpenAction<</S/SubmitForm/F<</FS/URL/F(https://collect.example/)>>>>")),
     documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
    ("document-will-close-javascript", lambda: pdf_bytes(_catalog(b"/AA<</WC " + JS + b">>")),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("page-open-additional-action-uri", lambda: pdf_bytes(_page(b"/AA<</O<</S/URI/URI(https://tracker.example/)>>>>")),
     documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
    ("annotation-additional-action-uri", lambda: pdf_bytes(_page(
        b"/Annots[<<" + LINK + b"/AA<</E<</S/URI/URI(https://tracker.example/hover)>>>>>>]")),
     documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
    ("annotation-additional-action-javascript", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/AA<</E 4 0 R>>>>]",
                                                                       o4=JS)),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("link-javascript", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/A " + JS + b">>]")),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("link-javascript-uri", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/A<</S/URI/URI(javascript:alert(1))>>>>]")),
     documents.ERR_DOCUMENT_PDF_EXTERNAL_ACTION),
    ("link-file-uri", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/A<</S/URI/URI(file:///C:/Windows/)>>>>]")),
     documents.ERR_DOCUMENT_PDF_EXTERNAL_ACTION),
    ("link-windows-share", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/A<</S/URI/URI(\\\\\\\\evil\\\\x)>>>>]")),
     documents.ERR_DOCUMENT_PDF_EXTERNAL_ACTION),
    ("link-to-another-file", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/A<</S/GoToR/F(other.pdf)/D[0/Fit]>>>>]")),
     documents.ERR_DOCUMENT_PDF_EXTERNAL_ACTION),
    ("launch-link", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/A<</S/Launch/F(cmd.exe)>>>>]")),
     documents.ERR_DOCUMENT_PDF_LAUNCH),
    ("launch-openaction-windows", lambda: pdf_bytes(_catalog(b"/OpenAction<</S/Launch/Win<</F(cmd.exe)>>>>")),
     documents.ERR_DOCUMENT_PDF_LAUNCH),
    ("embedded-files-name-tree", lambda: pdf_bytes(_catalog(
        b"/Names<</EmbeddedFiles<</Names[(a.exe)4 0 R]>>>>",
        o4=b"<</Type/Filespec/F(a.exe)/EF<</F 5 0 R>>>>",
        o5=b"<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream")), documents.ERR_DOCUMENT_PDF_EMBEDDED_FILE),
    ("embedded-file-stream-alone", lambda: pdf_bytes(_catalog(
        b"/Extra 4 0 R", o4=b"<</Type/EmbeddedFile/Length 2>>stream\nMZ\nendstream")),
     documents.ERR_DOCUMENT_PDF_EMBEDDED_FILE),
    ("file-attachment-annotation", lambda: pdf_bytes(_page(
        b"/Annots[<</Type/Annot/Subtype/FileAttachment/Rect[0 0 10 10]/FS<</Type/Filespec/F(x.exe)>>>>]")),
     documents.ERR_DOCUMENT_PDF_EMBEDDED_FILE),
    ("rich-media-annotation", lambda: pdf_bytes(_page(
        b"/Annots[<</Type/Annot/Subtype/RichMedia/Rect[0 0 10 10]/RichMediaContent<</Assets<</Names[]>>>>>>]")),
     documents.ERR_DOCUMENT_PDF_MEDIA),
    ("screen-annotation-rendition", lambda: pdf_bytes(_page(
        b"/Annots[<</Type/Annot/Subtype/Screen/Rect[0 0 10 10]/A<</S/Rendition/OP 0>>>>]")),
     documents.ERR_DOCUMENT_PDF_MEDIA),
    ("xfa-form", lambda: pdf_bytes(_catalog(b"/AcroForm<</Fields[]/XFA 4 0 R>>",
                                            o4=b"<</Length 10>>stream\n<xdp:xdp/>\nendstream")),
     documents.ERR_DOCUMENT_PDF_XFA),
    ("names-javascript-tree", lambda: pdf_bytes(_catalog(b"/Names<</JavaScript<</Names[(init)4 0 R]>>>>", o4=JS)),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("form-field-keystroke-javascript", lambda: pdf_bytes(_catalog(
        b"/AcroForm<</Fields[4 0 R]>>",
        o4=b"<</FT/Tx/T(name)/Subtype/Widget/Rect[0 0 10 10]/AA<</K<</S/JavaScript/JS 5 0 R>>>>>>",
        o5=b"<</Length 11>>stream\napp.alert()\nendstream")), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("outline-item-javascript", lambda: pdf_bytes(_catalog(
        b"/Outlines 4 0 R", o4=b"<</Type/Outlines/First 5 0 R/Last 5 0 R/Count 1>>",
        o5=b"<</Title(Start)/Parent 4 0 R/A " + JS + b">>")), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("javascript-name-escaped", lambda: pdf_bytes(_catalog(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>")),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("javascript-unreferenced-object", lambda: pdf_bytes(_catalog(b"", o4=JS)), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("javascript-outside-the-cross-reference", lambda: _unlisted(JS), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("javascript-in-an-object-stream-outside-the-cross-reference",
     lambda: _unlisted(b"<</Type/ObjStm/N 1/First 4/Filter/ASCIIHexDecode/Length %d>>stream\n" % (len(HEX_JS) + 1)
                       + HEX_JS + b">\nendstream"), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("encrypted-with-a-password", lambda: _encrypted("secret"), documents.ERR_DOCUMENT_PDF_ENCRYPTED),
    ("javascript-in-an-owner-password-only-pdf", lambda: _encrypted("", javascript=True),
     documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    # No cross-reference section: read as a viewer repairs it (by its objects), so what it would run is found.
    ("javascript-without-a-cross-reference", lambda: (
        b"%PDF-1.7\n1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj\n2 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"), documents.ERR_DOCUMENT_PDF_JAVASCRIPT),
    ("cut-in-the-middle-with-an-end-marker", lambda: minimal_pdf()[:120] + b"\n%%EOF\n",
     documents.ERR_DOCUMENT_PDF_UNREADABLE),
    ("text-with-a-pdf-header", lambda: b"%PDF-1.4\nnot really a PDF\n%%EOF\n", documents.ERR_DOCUMENT_PDF_UNREADABLE),
    ("no-catalog", lambda: pdf_bytes({1: b"(just a string)"}), documents.ERR_DOCUMENT_PDF_UNREADABLE),
    ("truncated-without-end-marker", lambda: minimal_pdf()[:-7], documents.ERR_DOCUMENT_PDF_TRUNCATED),
    ("nested-five-thousand-deep", _deep_nesting, documents.ERR_DOCUMENT_PDF_TOO_COMPLEX),
    ("object-stream-inflating-to-64-mb", _object_stream_bomb, documents.ERR_DOCUMENT_PDF_TOO_COMPLEX),
    ("automatic-action-chain-in-a-loop", lambda: pdf_bytes(_catalog(
        b"/OpenAction 4 0 R", o4=b"<</S/GoTo/D[3 0 R/Fit]/Next 5 0 R>>",
        o5=b"<</S/URI/URI(https://tracker.example/)/Next 4 0 R>>")), documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION),
]


@pytest.mark.parametrize(("content", "expected"), [pytest.param(c, e, id=i) for i, c, e in HOSTILE_PDFS])
def test_pdf_with_active_content_is_refused_naming_what_it_has(content, expected):
    data = content()
    assert data.startswith(b"%PDF-")
    upload = SimpleUploadedFile("cv.pdf", data, content_type="application/pdf")
    if expected is None:
        assert documents.document_content_type(upload, **CV_CHECK) == documents.PDF
        return
    with pytest.raises(ValidationError) as error:
        documents.document_content_type(upload, **CV_CHECK)
    assert error.value.message_dict == {"cv": [expected]}


def test_the_crafted_pdfs_are_read_as_a_reader_would():
    """The hostile PDFs are genuine PDFs (pypdf finds the object inside the object stream): the check refuses
    them for their content, not because they are broken."""
    for filters in [("FlateDecode",), ("ASCIIHexDecode",), ("ASCIIHexDecode", "FlateDecode")]:
        reader = PdfReader(io.BytesIO(pdf_bytes(_catalog(b"/OpenAction 4 0 R"), packed={4: JS}, filters=filters)),
                           strict=True)
        assert 4 in reader.xref_objStm
        assert reader.trailer["/Root"]["/OpenAction"]["/S"] == "/JavaScript"
    assert b"JavaScript" not in pdf_bytes(_catalog(b"/OpenAction 4 0 R"), packed={4: JS})


# --- Clean PDFs are accepted ---------------------------------------------------------------------------------------
def _reportlab_cv() -> bytes:
    """A CV as a word processor writes one: an outline, internal links, web, email and telephone links; then an
    outline item and a link that go to the first page by a GoTo action (as pypdf and Word write them)."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    for title in ["Profile", "Experience", "References"]:
        pdf.bookmarkPage(title)
        pdf.addOutlineEntry(title, title, level=0)
        pdf.drawString(72, 760, f"Alex Morgan: {title}")
        pdf.linkAbsolute("Back to the profile", "Profile", Rect=(72, 730, 300, 745))
        pdf.linkURL("https://www.linkedin.com/in/alex-morgan", (72, 700, 300, 715))
        pdf.linkURL("mailto:alex.morgan@example.org", (72, 680, 300, 695))
        pdf.linkURL("tel:+441130000000", (72, 660, 300, 675))
        pdf.showPage()
    pdf.showOutline()
    pdf.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    writer.add_outline_item(title="Back to the top", page_number=0)
    goto = DictionaryObject({NameObject("/S"): NameObject("/GoTo"),
                             NameObject("/D"): ArrayObject([writer.pages[0].indirect_reference, NameObject("/Fit")])})
    writer.pages[2][NameObject("/Annots")].append(writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(72), NumberObject(620), NumberObject(300), NumberObject(635)]),
        NameObject("/A"): goto})))
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()


def _reportlab_plan(pages: int = 12) -> bytes:
    """A plan as real ones are: several pages of paragraphs and tables, compressed, with metadata."""
    out = io.BytesIO()
    styles = getSampleStyleSheet()
    story = []
    for page in range(pages):
        story.append(Paragraph(f"Section {page + 1}: Supply Chain Management Plan", styles["Heading1"]))
        story += [Paragraph("The Alliance will engage its supply chain early and fairly. " * 12, styles["BodyText"]),
                  Spacer(1, 12),
                  Table([["Scheme", "Value", "Quarter"]] + [[f"M{page}-{row}", f"£{row * 1000:,}", "2026-Q3"]
                                                           for row in range(12)]),
                  PageBreak()]
    SimpleDocTemplate(out, pagesize=A4, title="Supply Chain Management Plan", author="WSP",
                      pageCompression=1).build(story)
    return out.getvalue()


def _repacked_in_object_streams(data: bytes) -> bytes:
    """The same document written again by pypdf with its objects compressed, as PDF 1.5 writers do."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CLEAN_PDFS = [
    ("minimal", minimal_pdf),
    # The people contract's CV (a catalog and a trailer, no cross-reference section): viewers open it by its objects.
    ("without-a-cross-reference", lambda: b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"),
    ("reportlab-cv-with-outline-and-links", _reportlab_cv),
    ("reportlab-twelve-page-plan", _reportlab_plan),
    ("rewritten-by-pypdf", lambda: _repacked_in_object_streams(_reportlab_plan(3))),
    ("open-at-a-page", lambda: pdf_bytes(_catalog(b"/OpenAction[3 0 R/FitH 842]"))),
    ("open-with-a-goto-action", lambda: pdf_bytes(_catalog(b"/OpenAction<</S/GoTo/D[3 0 R/Fit]>>"))),
    ("links-in-an-object-stream", lambda: pdf_bytes(_page(b"/Annots[4 0 R 5 0 R]"), packed={
        4: b"<<" + LINK + b"/A<</S/URI/URI(https://www.example.org/cv)>>>>",
        5: b"<<" + LINK + b"/A<</S/Named/N/NextPage>>>>"}, filters=("ASCIIHexDecode", "FlateDecode"))),
    ("bare-host-name-link", lambda: pdf_bytes(_page(b"/Annots[<<" + LINK + b"/A<</S/URI/URI(www.example.org)>>>>]"))),
    ("javascript-in-its-text-only", lambda: pdf_bytes(_page(b"/Contents 4 0 R", o4=(
        b"<</Length 52>>stream\nBT /F1 12 Tf 72 720 Td (/JavaScript /JS /Launch) Tj ET\nendstream")))),
    ("owner-password-only", lambda: _encrypted("")),
]


@pytest.mark.parametrize("content", [pytest.param(c, id=i) for i, c in CLEAN_PDFS])
def test_clean_pdf_is_accepted(content):
    upload = SimpleUploadedFile("document.pdf", content(), content_type="application/pdf")
    assert documents.document_content_type(upload) == documents.PDF
    assert documents.document_content_type(upload, **CV_CHECK) == documents.PDF


def test_the_clean_cv_has_what_the_check_must_walk():
    """The clean CV really has the structures a hostile one abuses: links and outline items with actions."""
    reader = PdfReader(io.BytesIO(_reportlab_cv()))
    actions = [annotation.get_object()["/A"] for page in reader.pages for annotation in page["/Annots"]
               if "/A" in annotation.get_object()]
    assert sorted({str(action["/URI"]) for action in actions if action["/S"] == "/URI"}) == [
        "https://www.linkedin.com/in/alex-morgan", "mailto:alex.morgan@example.org", "tel:+441130000000"]
    assert [action["/S"] for action in actions if action["/S"] != "/URI"] == ["/GoTo"]
    outline = reader.trailer["/Root"]["/Outlines"]
    assert outline["/Last"]["/Title"] == "Back to the top" and outline["/Last"]["/A"]["/S"] == "/GoTo"
    assert len(reader.pages) == 3


# --- Bounds: a hostile PDF never hangs the request -------------------------------------------------------------------
def test_pdf_with_more_objects_than_the_bound_is_refused_as_too_complex(monkeypatch):
    many = pdf_bytes(_catalog(b"/Extra[" + b" ".join(b"%d 0 R" % n for n in range(4, 104)) + b"]",
                              **{f"o{n}": b"<<>>" for n in range(4, 104)}))
    assert documents.document_content_type(SimpleUploadedFile("a.pdf", many)) == documents.PDF
    monkeypatch.setattr(documents, "PDF_MAX_OBJECTS", 50)
    with pytest.raises(ValidationError) as error:
        documents.document_content_type(SimpleUploadedFile("a.pdf", many))
    assert error.value.message_dict == {"file": [documents.ERR_DOCUMENT_PDF_TOO_COMPLEX]}


@pytest.mark.parametrize("limit", ["PDF_CHECK_SECONDS", "PDF_CHECK_CPU_SECONDS"])
def test_pdf_check_stops_at_its_time_limits(monkeypatch, limit):
    """The wall clock (under gunicorn's worker timeout) and the CPU time each stop the check."""
    plan = _reportlab_plan(2)
    assert documents.document_content_type(SimpleUploadedFile("plan.pdf", plan)) == documents.PDF
    monkeypatch.setattr(documents, limit, -1.0)
    with pytest.raises(ValidationError) as error:
        documents.document_content_type(SimpleUploadedFile("plan.pdf", plan))
    assert error.value.message_dict == {"file": [documents.ERR_DOCUMENT_PDF_TOO_COMPLEX]}


def test_pdf_nested_within_the_bound_is_accepted_and_one_level_deeper_is_refused(monkeypatch):
    def nested(depth: int) -> SimpleUploadedFile:
        return SimpleUploadedFile("a.pdf", pdf_bytes(_catalog(b"/Deep 4 0 R", o4=b"[" * depth + b"]" * depth)))

    monkeypatch.setattr(documents, "PDF_MAX_DEPTH", 20)
    assert documents.document_content_type(nested(20)) == documents.PDF
    with pytest.raises(ValidationError) as error:
        documents.document_content_type(nested(22))
    assert error.value.message_dict == {"file": [documents.ERR_DOCUMENT_PDF_TOO_COMPLEX]}


# --- Through the pages: the message is shown and nothing is saved ----------------------------------------------------
def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_nominate_page_shows_why_a_cv_with_javascript_in_an_object_stream_is_refused(people, role, client_for):
    """Para 55: a nomination's CV. JavaScript packed in a compressed object stream is found and named."""
    cv = SimpleUploadedFile("cv.pdf", pdf_bytes(_catalog(b"/OpenAction 4 0 R"), packed={4: JS}),
                            content_type="application/pdf")
    response = client_for(people["wsp-staff"]).post(reverse("people-nominate", args=[role("ded-director").pk]),
                                                    {"person_name": "Alex Morgan", "full_time": "on", "cv": cv})
    assert response.status_code == 400
    page = _text(response)
    assert "govuk-error-summary" in page and documents.ERR_DOCUMENT_PDF_JAVASCRIPT in page
    assert Nomination.objects.count() == 0


def test_nominate_page_accepts_a_real_cv_with_links(people, role, client_for):
    cv = SimpleUploadedFile("Alex Morgan CV.pdf", _reportlab_cv(), content_type="application/pdf")
    response = client_for(people["wsp-staff"]).post(reverse("people-nominate", args=[role("ded-director").pk]),
                                                    {"person_name": "Alex Morgan", "full_time": "on", "cv": cv})
    assert response.status_code == 302
    assert Nomination.objects.get().cv_name == "Alex Morgan CV.pdf"


def test_evidence_page_shows_why_a_pdf_opening_a_web_address_is_refused(people, client_for):
    alliance = people["alliance-manager"].organisation.alliance
    mob.deliverables_seed(alliance)
    deliverable = Deliverable.objects.get(alliance=alliance, reference="MOB-05")
    evidence = SimpleUploadedFile("evidence.pdf", pdf_bytes(_catalog(
        b"/OpenAction<</S/URI/URI(https://tracker.example/open)>>")), content_type="application/pdf")
    response = client_for(people["alliance-manager"]).post(
        reverse("mobilisation-deliverable-evidence", args=[deliverable.pk]),
        {"title": "Core resources list", "file": evidence})
    assert response.status_code == 400
    assert documents.ERR_DOCUMENT_PDF_AUTOMATIC_ACTION in _text(response)
    assert not DeliverableEvidence.objects.exists()
