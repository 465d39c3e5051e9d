"""How long a partnership's indicator dashboard takes to render (target: under 300 ms), and how
many database queries it needs.

Builds the demonstration data in a throwaway SQLite database (ten years of synthetic child-level
figures for 32 councils, two published tables, a local measure and a comparator group), then
requests South Ayrshire's dashboard — every catalogue indicator as an SPC chart with its summary,
data table and comparisons — through Django's test client as its partnership lead, timing each
request end to end (rules, queries, SPC, SVG, template) and counting the queries. CPU time
is printed too: on a shared machine the wall-clock time depends on the load. Then times the
disclosure gate's pattern of the national counts, worked out from scratch as after an import.

    .venv/bin/python benchmarks/indicators_dashboard.py [--repeats 20]
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
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="scrutiny-bench-")
    os.environ.update(
        {"SCRUTINY_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "scrutiny.settings"}
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from scrutiny.accounts.models import User
    from scrutiny.demo import builder
    from scrutiny.indicators.models import Observation
    from scrutiny.indicators.selectors import dashboard_indicators
    from scrutiny.places.models import Partnership

    started = time.perf_counter()
    builder.build()
    built = time.perf_counter() - started
    client = Client()
    client.force_login(User.objects.get(email="lead@south-ayrshire.example"))
    url = "/indicators/p/south-ayrshire/"
    client.get(url)  # warm up: templates, imports
    timings, cpu = [], []
    queries = 0
    size = 0
    for _ in range(args.repeats):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200
        queries = len(captured)
        size = len(response.content)
    partnership = Partnership.objects.get(slug="south-ayrshire")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(
        f"demo built in {built:.1f} s; {Observation.objects.count():,} values stored; "
        f"{len(dashboard_indicators(partnership=partnership))} indicators on the dashboard"
    )
    print(f"page: {size:,} bytes, {queries} queries")
    print(
        f"render over {args.repeats} requests: median {statistics.median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms (target < 300 ms); CPU time median "
        f"{statistics.median(cpu) * 1000:.0f} ms"
    )
    # The gate's pattern of the national counts, worked out after each national import (pages
    # read it as kept): from scratch, without this process's memory of earlier answers.
    from scrutiny.indicators import selectors

    pattern_times = []
    for _ in range(5):
        selectors._FAMILIES.clear()
        started = time.perf_counter()
        pattern = selectors.linked_pattern_compute()
        pattern_times.append(time.perf_counter() - started)
    print(
        f"disclosure pattern of the national counts ({len(pattern.rules):,} suppressed), "
        f"worked out after each import: median {statistics.median(pattern_times):.2f} s, "
        f"max {max(pattern_times):.2f} s over 5"
    )
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
