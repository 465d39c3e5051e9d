"""Time a stratified sample of 100 records from 100,000 synthetic rows (3 strata columns).

Run: ``.venv/bin/python -m benchmarks.sampling`` (target: under 1 s per draw).

Two figures, each the median of repeated runs:
* draw: join the three strata columns into labels and draw with
  `scrutiny.analysis.sampling.stratified_sample` (rows already in memory);
* command: ``scrutiny sample`` end to end on a 100,000-row CSV file (read, draw, write),
  in-process.
"""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from scrutiny.analysis.sampling import stratified_sample
from scrutiny.cli import app

ROWS = 100_000
SIZE = 100
REPEATS = 15
TARGET_SECONDS = 1.0
PROCESSES = (
    "CP register",
    "Investigated, not registered",
    "Looked after at home",
    "Away from home",
)
AGE_BANDS = ("0-4", "5-11", "12-15", "16-17")
LOCALITIES = tuple(f"Locality {n}" for n in range(1, 9))
HEADER = ("child", "process", "age_band", "locality")


def synthetic_rows(seed: int = 1) -> list[tuple[str, str, str, str]]:
    """Rows with skewed strata sizes, as a real return would have."""
    rng = np.random.default_rng(seed)
    processes = rng.choice(len(PROCESSES), size=ROWS, p=[0.1, 0.2, 0.3, 0.4])
    ages = rng.choice(len(AGE_BANDS), size=ROWS, p=[0.3, 0.3, 0.25, 0.15])
    places = rng.integers(0, len(LOCALITIES), size=ROWS)
    return [
        (f"C{n:06}", PROCESSES[p], AGE_BANDS[a], LOCALITIES[loc])
        for n, (p, a, loc) in enumerate(zip(processes, ages, places, strict=True))
    ]


def median_seconds(run: Callable[[], object]) -> tuple[float, float]:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), max(times)


def main() -> None:
    rows = synthetic_rows()

    def draw() -> object:
        labels = [" / ".join(row[1:]) for row in rows]
        return stratified_sample(strata=labels, size=SIZE, seed=20_240_601)

    strata = len({" / ".join(row[1:]) for row in rows})
    draw_median, draw_max = median_seconds(draw)

    runner = CliRunner()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "return.csv"
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
        arguments = [
            "sample",
            str(source),
            "--size",
            str(SIZE),
            "--strata",
            "process,age_band,locality",
            "--seed",
            "1",
            "-o",
            str(Path(folder) / "sample.csv"),
        ]

        def command() -> object:
            result = runner.invoke(app, arguments)
            assert result.exit_code == 0, result.output
            return result

        command_median, command_max = median_seconds(command)

    print(f"rows {ROWS:,}, strata {strata}, sample {SIZE}, repeats {REPEATS}")
    print(f"draw:    median {draw_median * 1000:.1f} ms, max {draw_max * 1000:.1f} ms")
    print(f"command: median {command_median * 1000:.1f} ms, max {command_max * 1000:.1f} ms")
    verdict = "met" if max(draw_median, command_median) < TARGET_SECONDS else "MISSED"
    print(f"target < {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
