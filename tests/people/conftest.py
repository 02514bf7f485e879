"""Key persons and Production Hub resourcing on the demo alliance: the catalogue, the Board, CV files."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alliance.models import Organisation, Person
from governance.demo import seed_matrix
from people.catalogue import catalogue_seed
from people.models import HubService, KeyPersonRole
from tests.pdf_samples import minimal_pdf

PARTNERS = ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]
VOTERS = ["sro"] + [f"{p}-rep" for p in PARTNERS]


def pdf_file(name: str = "cv.pdf", size: int = 2_000) -> SimpleUploadedFile:
    # A genuine PDF (alliance/documents.py reads uploads with a PDF library), padded to ``size`` bytes.
    body = minimal_pdf(size)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx_file(name: str = "cv.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


@pytest.fixture
def catalogue(smp):
    """The demo core with the Decision Matrix and the catalogues of paras 49, 51 and Table 3."""
    seed_matrix(smp)
    catalogue_seed(smp)
    return smp


@pytest.fixture
def people(catalogue) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation").all()}


@pytest.fixture
def role(catalogue):
    def get(code: str) -> KeyPersonRole:
        return KeyPersonRole.objects.select_related("lot").get(alliance=catalogue, code=code)

    return get


@pytest.fixture
def service(catalogue):
    def get(code: str) -> HubService:
        return HubService.objects.get(alliance=catalogue, code=code)

    return get


@pytest.fixture
def organisation(catalogue):
    def get(slug: str) -> Organisation:
        return Organisation.objects.get(slug=slug)

    return get
