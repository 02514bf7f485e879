"""PDFs written byte by byte for tests: a real cross-reference (a table, or a stream when objects are packed in
object streams), so that a PDF library reads them as a reader would (``alliance/documents.py`` checks uploads
with pypdf).

``pdf_bytes({1: b"<</Type/Catalog/Pages 2 0 R>>", ...})`` writes each object as ``N 0 obj ... endobj``;
``packed={5: b"<<...>>"}`` puts objects in object streams (compressed with ``filters``: ``FlateDecode``,
``ASCIIHexDecode`` or both) and the cross-reference becomes a stream, as PDF 1.5 writers do.
"""

from __future__ import annotations

import binascii
import zlib

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PAGES = {1: b"<</Type/Catalog/Pages 2 0 R>>", 2: b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
         3: b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"}


def _encode(data: bytes, filters: tuple[str, ...]) -> bytes:
    # Filters are listed in the order a reader applies them to decode, so encode in reverse.
    for name in reversed(filters):
        data = zlib.compress(data) if name == "FlateDecode" else binascii.hexlify(data) + b">"
    return data


def _filter_entry(filters: tuple[str, ...]) -> bytes:
    if not filters:
        return b""
    if len(filters) == 1:
        return b"/Filter/" + filters[0].encode()
    return b"/Filter[" + b"".join(b"/" + name.encode() for name in filters) + b"]"


def pdf_bytes(objects: dict[int, bytes], *, packed: dict[int, bytes] | None = None,
              filters: tuple[str, ...] = ("FlateDecode",), trailer: bytes = b"", root: int = 1,
              padding: int = 0, per_stream: int = 200) -> bytes:
    """A complete PDF of ``objects`` (and ``packed`` ones in object streams of ``per_stream`` objects, as writers
    do), ``trailer`` added to its trailer dictionary, and ``padding`` bytes of comment after the header (to make
    a file of a given size)."""
    out = bytearray(HEADER)
    if padding:
        out += b"%" + b"0" * max(0, padding - 2) + b"\n"
    offsets: dict[int, int] = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    compressed: dict[int, tuple[int, int]] = {}
    numbers = [*objects, *(packed or {})]
    items = sorted((packed or {}).items())
    stream_number = max(numbers)
    for group in range(0, len(items), per_stream):
        stream_number += 1
        index, bodies, position = [], b"", 0
        for i, (number, body) in enumerate(items[group:group + per_stream]):
            index.append(b"%d %d" % (number, position))
            bodies += body + b"\n"
            position = len(bodies)
            compressed[number] = (stream_number, i)
        head = b" ".join(index) + b"\n"
        data = _encode(head + bodies, filters)
        offsets[stream_number] = len(out)
        out += (b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Length %d" % (stream_number, len(index), len(head),
                                                                       len(data))
                + _filter_entry(filters) + b">>stream\n" + data + b"\nendstream\nendobj\n")
        numbers.append(stream_number)
    size = max(numbers) + (2 if packed else 1)
    start = len(out)
    if not packed:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % size
        for number in range(1, size):
            out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 00000 f \n"
        out += b"trailer\n<</Size %d/Root %d 0 R" % (size, root) + trailer + b">>\n"
    else:
        xref_number = size - 1
        offsets[xref_number] = start
        rows = bytearray(b"\x00\x00\x00\x00\x00\xff\xff")
        for number in range(1, size):
            if number in compressed:
                stream_number, i = compressed[number]
                rows += b"\x02" + stream_number.to_bytes(4, "big") + i.to_bytes(2, "big")
            elif number in offsets:
                rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
            else:
                rows += b"\x00" * 7
        data = zlib.compress(bytes(rows))
        out += (b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root %d 0 R/Filter/FlateDecode/Length %d"
                % (xref_number, size, root, len(data)) + trailer + b">>stream\n" + data + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def minimal_pdf(size: int = 0) -> bytes:
    """A valid one-page PDF; with ``size``, padded (in a comment after the header) to exactly that many bytes."""
    body = pdf_bytes(PAGES)
    if size <= len(body):
        return body
    padded = pdf_bytes(PAGES, padding=size - len(body))
    return pdf_bytes(PAGES, padding=size - len(body) - (len(padded) - size))  # startxref's digits grew
