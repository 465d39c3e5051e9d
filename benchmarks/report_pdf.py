"""How long a full inspection report takes to render to PDF (target: under 5 s).

Builds the demonstration data in a throwaway SQLite database, then renders South Ayrshire's
report (nine evaluated QIs, five areas for improvement, the grades chart and all appendices) to
a tagged PDF several times, timing each render end to end (template + WeasyPrint).

    .venv/bin/python benchmarks/report_pdf.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="scrutiny-bench-")
    os.environ.update(
        {"SCRUTINY_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "scrutiny.settings"}
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from scrutiny.demo import builder
    from scrutiny.inspections.models import Inspection
    from scrutiny.publishing import report

    builder.build()
    inspection = Inspection.objects.get(partnership__slug="south-ayrshire", model="A")
    timings, size, pages = [], 0, 0
    for _ in range(args.repeats):
        started = time.perf_counter()
        pdf = report.render_pdf(report.render_document(inspection, draft=False, version=1))
        timings.append(time.perf_counter() - started)
        size = len(pdf)
    from io import BytesIO

    from pypdf import PdfReader

    pages = len(PdfReader(BytesIO(pdf)).pages)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"report: {pages} pages, {size:,} bytes")
    print(
        f"render to PDF over {args.repeats} runs: median {statistics.median(timings):.2f} s, "
        f"max {max(timings):.2f} s (target < 5 s)"
    )


if __name__ == "__main__":
    main()
