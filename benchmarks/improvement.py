"""Improvement pages and the progress review PDF.

Targets: a partnership page with 200 actions and 500 updates renders in under 300 ms with a
bounded number of queries; the progress review PDF renders in under 5 s.

Builds the demonstration data in a throwaway SQLite database with production settings (DEBUG
off), adds a second South Ayrshire plan of 200 actions (one milestone each) and 500 updates,
then times, through Django's test client signed in as the partnership lead:

- the partnership workspace (every app's panel; improvement summarises both plans),
- the 200-action plan page,

and renders the demo's 2018 progress review to a tagged PDF (template + WeasyPrint).

    .venv/bin/python -m benchmarks.improvement [--repeats 10]
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any


def _timed(work: Callable[[], object], repeats: int) -> list[float]:
    work()  # warm-up: template loading, first queries
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return timings


def _describe(name: str, timings: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    return (
        f"{name}: median {statistics.median(timings) * scale:.1f} {unit}, "
        f"max {max(timings) * scale:.1f} {unit}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    os.environ.update(
        {
            "SCRUTINY_DATA_DIR": tempfile.mkdtemp(prefix="scrutiny-bench-"),
            "DJANGO_SETTINGS_MODULE": "scrutiny.settings",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
            "SECRET_KEY": secrets.token_urlsafe(48),
        }
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from scrutiny.accounts.models import User
    from scrutiny.demo import builder
    from scrutiny.improvement.models import ProgressReview
    from scrutiny.inspections.models import AreaForImprovement, Inspection, Status
    from scrutiny.publishing import progress_review
    from scrutiny.publishing.report import render_pdf
    from tests.improvement.bulk import large_plan

    builder.build()
    seed = Inspection.objects.get(partnership__slug="south-ayrshire", status=Status.PUBLISHED)
    today = timezone.localdate()
    second = Inspection.objects.create(
        partnership=seed.partnership,
        title="A later synthetic inspection (benchmark)",
        model=seed.model,
        framework_version=seed.framework_version,
        status=Status.PUBLISHED,
        notification_date=date(2025, 1, 6),
        publication_date=today - timedelta(days=100),
    )
    for area in seed.areas_for_improvement.all():
        copy = AreaForImprovement.objects.create(
            inspection=second, number=area.number, title=area.title, text=area.text
        )
        copy.qis.set(area.qis.all())
    lead = User.objects.get(email="lead@south-ayrshire.example")
    plan = large_plan(second, by=lead, actions=200, updates=500, today=today)
    client = Client()
    client.force_login(lead)
    pages = {
        "partnership workspace (215 actions in two plans)": reverse(
            "frontend:partnership", args=["south-ayrshire"]
        ),
        "action plan page (200 actions, 500 updates)": reverse("improvement:plan", args=[plan.pk]),
    }
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    for name, url in pages.items():
        executed.clear()
        with connection.execute_wrapper(count):
            response = client.get(url, secure=True)
        assert response.status_code == 200, (url, response.status_code)

        def fetch(url: str = url) -> object:
            return client.get(url, secure=True)

        timings = _timed(fetch, args.repeats)
        print(f"{_describe(name, timings)}; {len(executed)} queries (target < 300 ms)")
    review = ProgressReview.objects.get(partnership__slug="south-ayrshire")
    pdf_timings = _timed(
        lambda: render_pdf(progress_review.render_document(review, draft=False, version=1)),
        max(3, args.repeats // 2),
    )
    size = len(render_pdf(progress_review.render_document(review, draft=False, version=1)))
    print(f"{_describe('progress review PDF', pdf_timings, 's')}; {size:,} bytes (target < 5 s)")


if __name__ == "__main__":
    main()
