"""Benchmark of the PDF check (alliance/documents.py, issue 16 item 7): time and memory to check uploads.

What it measures, in this process (no database, no web server), for each PDF: the median and the worst wall
clock time and the median CPU time of ``--runs`` calls of ``document_content_type`` on a ``TemporaryUploadedFile``
(as Django keeps an upload over 2.5 MB), and the peak of Python memory allocated during one call (tracemalloc).
The PDFs are generated:

* ``10 MB, 20 pages of images``: 20 pages each drawing a 500 KB image of random bytes (incompressible, like
  a scanned page); the check reads the image dictionaries, never decodes their data;
* ``10 MB, padded``: a one-page PDF padded to 10 MB (the CV limit) by a comment;
* ``100k objects, cross-reference table``: a catalog listing 100,000 small dictionaries, each its own object;
* ``100k objects, in object streams``: the same 100,000 dictionaries packed 200 to a Flate object stream (PDF 1.5),
  so the check decodes the streams and parses every object in them;
* ``200-page report``: a reportlab document of 200 pages of paragraphs and tables, with an outline.

Target: each accepted, within ``PDF_CHECK_CPU_SECONDS`` (12 s of CPU) and ``PDF_CHECK_SECONDS`` (25 s of wall
clock, under gunicorn's 30 s worker timeout). On a busy machine the wall clock is several times the CPU time:
compare CPU times. Run it from the project root::

    .venv/bin/python bench/pdf_check.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _images_pdf(size: int = 10 * 1024 * 1024, pages: int = 20) -> bytes:
    from tests.pdf_samples import pdf_bytes

    rng = random.Random(7)
    per_page = size // pages - 400
    objects = {1: b"<</Type/Catalog/Pages 2 0 R>>",
               2: b"<</Type/Pages/Kids[" + b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(pages))
               + b"]/Count %d>>" % pages}
    for i in range(pages):
        page, content, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        drawing = b"q 500 0 0 500 50 300 cm /Im0 Do Q"
        objects[page] = (b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents %d 0 R"
                         b"/Resources<</XObject<</Im0 %d 0 R>>>>>>" % (content, image))
        objects[content] = b"<</Length %d>>stream\n" % len(drawing) + drawing + b"\nendstream"
        data = rng.randbytes(per_page)
        objects[image] = (b"<</Type/XObject/Subtype/Image/Width %d/Height 1/ColorSpace/DeviceGray"
                          b"/BitsPerComponent 8/Length %d>>stream\n" % (per_page, per_page) + data + b"\nendstream")
    return pdf_bytes(objects)


def _many_objects_pdf(count: int = 100_000, *, packed: bool) -> bytes:
    from tests.pdf_samples import PAGES, pdf_bytes

    numbers = range(4, 4 + count)
    small = {n: b"<</Type/Bench/N %d/Kids[1 2 3]>>" % n for n in numbers}
    catalog = {**PAGES, 1: b"<</Type/Catalog/Pages 2 0 R/Bench[" + b" ".join(b"%d 0 R" % n for n in numbers) + b"]>>"}
    if packed:
        return pdf_bytes(catalog, packed=small)
    return pdf_bytes({**catalog, **small})


def _report_pdf(pages: int = 200) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    styles = getSampleStyleSheet()
    story = []
    for page in range(pages):
        story += [Paragraph(f"Section {page + 1}", styles["Heading1"]),
                  Paragraph("The Alliance reports its performance every quarter. " * 20, styles["BodyText"]),
                  Table([["Scheme", "Score"]] + [[f"S{page}-{row}", str(row % 11)] for row in range(15)]),
                  PageBreak()]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title="Report").build(story)
    return out.getvalue()


def _upload(data: bytes):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    upload = TemporaryUploadedFile("bench.pdf", "application/pdf", len(data), None)
    upload.write(data)
    upload.seek(0)
    return upload


def measure(name: str, data: bytes, runs: int) -> dict:
    from django.core.exceptions import ValidationError

    from alliance.documents import document_content_type

    upload = _upload(data)
    times, cpu, verdict = [], [], "accepted"
    try:
        for _ in range(runs):
            start, cpu_start = time.perf_counter(), time.thread_time()
            try:
                document_content_type(upload)
            except ValidationError as error:
                verdict = "refused: " + " ".join(error.messages)[:60]
            times.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - cpu_start)
        tracemalloc.start()
        try:
            document_content_type(upload)
        except ValidationError:
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        upload.close()
    return {"name": name, "bytes": len(data), "median_s": statistics.median(times), "max_s": max(times),
            "cpu_s": statistics.median(cpu),
            "peak_mb": peak / 1024 / 1024, "verdict": verdict}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from tests.pdf_samples import minimal_pdf

    cases = [
        ("10 MB, 20 pages of images", _images_pdf),
        ("10 MB, padded", lambda: minimal_pdf(10 * 1024 * 1024)),
        ("100k objects, cross-reference table", lambda: _many_objects_pdf(packed=False)),
        ("100k objects, in object streams", lambda: _many_objects_pdf(packed=True)),
        ("200-page report", _report_pdf),
    ]
    print(f"{'PDF':40} {'size':>10} {'median':>8} {'worst':>8} {'CPU':>7} {'peak mem':>9}  verdict", flush=True)
    for name, build in cases:
        row = measure(name, build(), args.runs)
        print(f"{row['name']:40} {row['bytes'] / 1024 / 1024:>7.1f} MB {row['median_s']:>7.2f}s {row['max_s']:>7.2f}s {row['cpu_s']:>6.2f}s "
              f"{row['peak_mb']:>6.1f} MB  {row['verdict']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
