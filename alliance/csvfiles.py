"""CSV files in and out: one reader of uploaded CSV text, one writer every export uses.

Out: a cell beginning with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read by Excel and
LibreOffice as a formula, so text a partner typed (``=HYPERLINK("http://evil", "Click")``) would run in the
reader's spreadsheet (CSV injection, OWASP). Such a text cell is written with a leading apostrophe, which the
spreadsheet shows as plain text. Numbers (and text that is just a number, like ``-12.50``) are left alone.

In: an uploaded CSV is bounded in size, must be UTF-8 text (a UTF-16 or binary file is refused with a clear
message) and a line too long for the csv module is refused rather than raised as a server error.
"""

from __future__ import annotations

import csv
import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable

CSV_MAX_BYTES = 5 * 1024 * 1024  # about 100,000 rows of spend or schemes: far more than a quarter's upload
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d,]*(\.\d+)?$")

ERR_CSV_EMPTY = "The CSV file is empty. Nothing was saved."
ERR_CSV_SIZE = "A CSV file must be no larger than 5 MB. Split it and upload each part. Nothing was saved."
ERR_CSV_UNREADABLE = "The file is not a readable CSV file (UTF-8)."
ERR_CSV_LINE = "A line of the CSV file is far too long to be a row of this table. Nothing was saved."


def spreadsheet_safe(value: Any) -> Any:
    """The value as a spreadsheet cell that is never a formula (text only; numbers pass unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """``csv.writer`` whose rows are made spreadsheet-safe cell by cell. ``writerow`` returns what the file's
    ``write`` returned, so a streaming response can yield it as with ``csv.writer``."""

    def __init__(self, file, **kwargs):
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([spreadsheet_safe(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> SafeCsvWriter:
    """The writer of every CSV export."""
    return SafeCsvWriter(file, **kwargs)


def csv_upload_text(upload, *, field: str = "file", max_bytes: int = CSV_MAX_BYTES,
                    unreadable_error: str = ERR_CSV_UNREADABLE) -> str:
    """The text of an uploaded CSV (a Django upload, or a file or text stream), or a ValidationError on ``field``.

    Reads at most ``max_bytes`` + 1 bytes, so a huge file is refused without being held in memory whole."""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError({field: [ERR_CSV_SIZE]})
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ValidationError({field: [ERR_CSV_SIZE]})
    if not raw:
        raise ValidationError({field: [ERR_CSV_EMPTY]})
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError({field: [unreadable_error]}) from error
    if "\x00" in text:  # UTF-16 without a byte order mark, or a binary file that happens to be valid UTF-8
        raise ValidationError({field: [unreadable_error]})
    return text


def csv_line_error(field: str = "file") -> ValidationError:
    """What a ``csv.Error`` (a field over the csv module's limit, a broken quote) becomes for the user."""
    return ValidationError({field: [ERR_CSV_LINE]})
