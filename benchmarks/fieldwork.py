"""Fieldwork at scale, in a throwaway SQLite database (targets in brackets):

* import and validate a 100,000-row pre-inspection return, CSV and Excel (< 10 s each),
  through the service: read, check every value, store in bulk;
* draw a stratified sample from those 100,000 rows through the service (< 1 s): work out the
  population (each child once), join the strata, allocate, draw, store;
* render the record-reading results page for 1,000 readings through the Django test client
  (< 300 ms server time), disclosure control and charts included.

    .venv/bin/python benchmarks/fieldwork.py [--rows 100000] [--readings 1000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date


def timed(run: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """Median and max wall-clock time, and median CPU time of this process (all in-process
    work, SQLite included: on a busy machine it is what the wall time would be on an idle one)."""
    times, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(times), max(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--readings", type=int, default=1000)
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
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from openpyxl import Workbook

    call_command("migrate", verbosity=0)
    from scrutiny.demo import builder
    from scrutiny.demo.fieldwork import synthetic_return_csv
    from scrutiny.fieldwork import returns, services
    from scrutiny.fieldwork.models import Answer, Reading, Sample, SampledRecord
    from scrutiny.inspections.models import Inspection

    for _, target in builder.SECTIONS[:4]:
        with transaction.atomic():
            builder._resolve(target)()
    inspection = Inspection.objects.get(partnership__slug="east-ayrshire")
    lead = inspection.team.get(role="lead_inspector").user
    assert lead is not None
    as_at = date(2026, 6, 30)
    teams = tuple(f"Team {n}" for n in range(1, 13))
    csv_data = synthetic_return_csv(
        prefix="B", children=int(args.rows / 1.05), as_at=as_at, teams=teams, seed=1
    )
    lines = csv_data.count(b"\n") - 1
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Return")
    for line in csv_data.decode().splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    xlsx_data = out.getvalue()

    def import_csv() -> object:
        return services.return_import(
            inspection=inspection, name="r.csv", data=csv_data, as_at=as_at, by=lead
        )

    def import_xlsx() -> object:
        return services.return_import(
            inspection=inspection, name="r.xlsx", data=xlsx_data, as_at=as_at, by=lead
        )

    check_median, _, check_cpu = timed(
        lambda: returns.check_upload(name="r.csv", data=csv_data, as_at=as_at), args.repeats
    )
    csv_median, csv_max, csv_cpu = timed(import_csv, args.repeats)
    xlsx_median, xlsx_max, xlsx_cpu = timed(import_xlsx, max(1, args.repeats // 2))

    def draw() -> object:
        return services.sample_draw(
            inspection=inspection,
            size=100,
            strata=["list", "age_band", "team"],
            seed=20260803,
            by=lead,
        )

    draw_median, draw_max, draw_cpu = timed(draw, args.repeats)

    # 1,000 readings of the default template (answers spread over the options).
    sample = Sample.objects.get(inspection=inspection)
    Sample.objects.filter(pk=sample.pk).delete()
    sample = services.sample_draw(
        inspection=inspection, size=args.readings, strata=["list"], seed=5, by=lead
    )
    questions = list(sample.template.questions.order_by("order"))
    records = list(SampledRecord.objects.filter(sample=sample))
    readings = Reading.objects.bulk_create(
        Reading(record=r, template=sample.template, readers="bench", recorded_by=lead)
        for r in records
    )
    answers = []
    for n, reading in enumerate(readings):
        for k, question in enumerate(questions):
            options = [value for value, _ in question.options()]
            if options:
                answers.append(
                    Answer(
                        reading=reading, question=question, value=options[(n + k) % len(options)]
                    )
                )
    Answer.objects.bulk_create(answers, batch_size=5000)
    setup_test_environment()
    client = Client()
    client.force_login(lead)
    url = f"/fieldwork/inspections/{inspection.pk}/reading/results/"
    assert client.get(url).status_code == 200
    page_median, page_max, page_cpu = timed(lambda: client.get(url), args.repeats * 2)

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"return of {lines:,} rows ({len(csv_data) / 1e6:.1f} MB CSV, "
        f"{len(xlsx_data) / 1e6:.1f} MB XLSX); figures: median wall [median CPU], max wall"
    )
    for label, median, cpu, worst, target in (
        ("check only (CSV)", check_median, check_cpu, check_median, "-"),
        ("import CSV (check + store)", csv_median, csv_cpu, csv_max, "< 10 s"),
        ("import XLSX (check + store)", xlsx_median, xlsx_cpu, xlsx_max, "< 10 s"),
        ("draw a stratified sample of 100", draw_median, draw_cpu, draw_max, "< 1 s"),
        (
            f"results page, {len(readings)} readings x {len(questions)} questions",
            page_median,
            page_cpu,
            page_max,
            "< 0.3 s",
        ),
    ):
        print(f"{label}: {median:.3f} s [{cpu:.3f} s], max {worst:.3f} s ({target})")


if __name__ == "__main__":
    main()
