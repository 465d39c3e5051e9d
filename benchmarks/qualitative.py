"""Qualitative evidence at scale: full-text search over 100,000 comments (target: p95 under
100 ms) and a source page carrying 500 codings (target: under 300 ms).

The comments are the 10,334 NHS Friends and Family Test comments of ``../shared/data``
(column ``feedback``), repeated to the number asked for, in sources of 10,000 comments each,
with respondent types and dates spread over two years. They are only a measuring stick: they
never become demonstration content.

Each query is timed as the search page runs it: the count of matches, the first 50 by
relevance, and the codes of those 50. Queries are single words, pairs of words, phrases and
word-plus-filter searches drawn at random (fixed seed) from the comments' own vocabulary.

    .venv/bin/python benchmarks/qualitative.py                      # SQLite (throwaway file)
    .venv/bin/python benchmarks/qualitative.py --database-url postgres://u:p@127.0.0.1/db
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fft-labelled-comments.csv"
STOP = {
    "the",
    "and",
    "to",
    "a",
    "of",
    "was",
    "i",
    "in",
    "for",
    "it",
    "is",
    "my",
    "were",
    "very",
    "they",
    "with",
    "on",
    "be",
    "had",
    "not",
    "at",
    "as",
    "all",
    "me",
    "that",
    "this",
    "have",
    "so",
    "but",
    "you",
    "we",
    "are",
    "from",
    "no",
    "would",
    "there",
    "an",
    "or",
    "by",
    "been",
    "could",
    "any",
    "which",
}


def _comments() -> list[str]:
    with DATA.open(newline="", encoding="utf-8") as handle:
        return [
            row["feedback"].strip() for row in csv.DictReader(handle) if row["feedback"].strip()
        ]


def _queries(comments: list[str], n: int, seed: int) -> list[tuple[str, dict[str, Any]]]:
    words = Counter(
        w for text in comments for w in re.findall(r"[a-z]{4,}", text.lower()) if w not in STOP
    )
    common = [w for w, _ in words.most_common(400)]
    rng = random.Random(seed)
    queries: list[tuple[str, dict[str, Any]]] = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            queries.append((rng.choice(common), {}))
        elif kind == 1:
            queries.append((" ".join(rng.sample(common, 2)), {}))
        elif kind == 2:
            text = rng.choice(comments)
            tokens = re.findall(r"[A-Za-z']+", text)
            start = rng.randrange(max(len(tokens) - 2, 1))
            queries.append(('"' + " ".join(tokens[start : start + 2]) + '"', {}))
        else:
            queries.append((rng.choice(common), {"respondent_type": "parent"}))
    return queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"The FFT data set is needed at {DATA}.")
    data_dir = tempfile.mkdtemp(prefix="scrutiny-bench-")
    os.environ.update(
        {"SCRUTINY_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "scrutiny.settings"}
    )
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.test import Client

    from scrutiny.accounts.models import Organisation, Role, User
    from scrutiny.places.models import Partnership
    from scrutiny.qualitative import selectors, services
    from scrutiny.qualitative.models import Coding, Project, Segment

    partnership = Partnership.objects.get(slug="south-ayrshire")
    user, _ = User.objects.get_or_create(
        email="bench@example.org",
        defaults={
            "full_name": "Benchmark",
            "role": Role.PARTNERSHIP_LEAD,
            "organisation": Organisation.objects.get(partnership=partnership),
        },
    )
    Project.objects.filter(title__startswith="Benchmark").delete()
    project = services.project_create(partnership=partnership, title="Benchmark search", by=user)
    comments = _comments()
    rng = random.Random(args.seed)
    kinds = ["parent", "child", "staff", "carer"]
    started = time.perf_counter()
    made = 0
    chunk = 10_000
    while made < args.comments:
        size = min(chunk, args.comments - made)
        rows = [
            (
                comments[(made + i) % len(comments)],
                kinds[(made + i) % 4],
                "",
                "",
                date(2024, 4, 1) + timedelta(days=rng.randrange(730)),
                "",
            )
            for i in range(size)
        ]
        services.comments_add(project=project, title=f"Comments {made + 1:,}", rows=rows, by=user)
        made += size
    load = time.perf_counter() - started
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        print(f"database: {connection.vendor} {cursor.fetchone()[0]}")
    loaded = Segment.objects.filter(source__project=project).count()
    print(f"loaded {loaded:,} comments in {load:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE qualitative_segment")

    code = services.code_add(project=project, name="Staff")
    first_source = project.sources.order_by("pk").first()
    assert first_source is not None
    Coding.objects.bulk_create(
        Coding(
            source=first_source,
            segment=s,
            code=code,
            start=s.start,
            end=s.end,
            text=s.text,
            coder=user,
        )
        for s in first_source.segments.filter(text__icontains="staff")[:2000]
    )
    queries = _queries(comments, args.queries, args.seed)
    for text, extra in queries[:10]:  # warm the caches
        selectors.search_segments(
            projects=[project], filters=selectors.SearchFilters(text=text, **extra)
        )
    timings, totals = [], []
    for text, extra in queries:
        began = time.perf_counter()
        page = selectors.search_segments(
            projects=[project], filters=selectors.SearchFilters(text=text, **extra), limit=50
        )
        timings.append((time.perf_counter() - began) * 1000)
        totals.append(page.total)
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"search over {args.comments:,} comments, {len(queries)} queries: "
        f"median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms "
        f"(target p95 < 100 ms); matches per query: median {int(statistics.median(totals)):,}, "
        f"max {max(totals):,}"
    )

    # A source page with 500 codings: 100 comments, each coded with 5 codes.
    dense = services.comments_add(
        project=project,
        title="Benchmark dense source",
        rows=[(comments[i], "parent", "", "", date(2025, 1, 1), "") for i in range(100)],
        by=user,
    )
    codes = [services.code_add(project=project, name=f"Theme {i}") for i in range(5)]
    Coding.objects.bulk_create(
        Coding(source=dense, segment=s, code=c, start=s.start, end=s.end, text=s.text, coder=user)
        for s in dense.segments.all()
        for c in codes
    )
    client = Client()
    client.force_login(user)
    url = dense.get_absolute_url()
    assert client.get(url).status_code == 200
    page_times = []
    for _ in range(20):
        began = time.perf_counter()
        response = client.get(url)
        page_times.append((time.perf_counter() - began) * 1000)
    assert response.status_code == 200
    print(
        f"source page with {Coding.objects.filter(source=dense).count()} codings, 20 requests: "
        f"median {statistics.median(page_times):.0f} ms, max {max(page_times):.0f} ms "
        "(target < 300 ms)"
    )
    if args.database_url:  # leave the shared database as it was
        Project.objects.filter(pk=project.pk).delete()


if __name__ == "__main__":
    main()
