"""Where personal documents are kept (key persons' CVs, mobilisation evidence): a private folder outside the
static and media web roots (``PRIVATE_FILES_ROOT``).

Nothing under it has a URL; a file is read only through the download views, which check permission and log the
access. Files are named by a random token, never by the person's name.
"""

from __future__ import annotations

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages

CV_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class PrivateStorage(FileSystemStorage):
    """A file system storage with no URLs, rooted at ``settings.PRIVATE_FILES_ROOT`` (read on each use, so a
    test can point it at a temporary folder)."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_FILES_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: serve them through a view that checks permission.")


def private_storage():
    """The storage of personal documents (settings.STORAGES["private"])."""
    return storages["private"]


def cv_upload_to(instance, filename: str) -> str:
    extension = CV_EXTENSIONS.get(getattr(instance, "cv_content_type", ""), "")
    return f"cvs/{secrets.token_hex(16)}{extension}"
