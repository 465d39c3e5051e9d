"""Time ``scrutiny spc`` end to end on 10,000 points (target: under 1 s).

Runs the real console script in a fresh process each time — interpreter start-up, imports,
reading the CSV, the chart and printing the JSON all count — after one untimed warm-up run.

    .venv/bin/python benchmarks/spc_cli.py [--points 10000] [--repeats 15] [--chart xmr]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TARGET_SECONDS = 1.0


def write_measure(path: Path, points: int) -> None:
    """A measure with noise, a step change and a drift, so that every rule has work to do."""
    rng = np.random.default_rng(2024)
    values = rng.normal(100.0, 8.0, points)
    values[points // 2 :] -= 6.0
    values += np.linspace(0.0, 5.0, points)
    lines = ["period,value"]
    lines += [f"W{week:05d},{value:.3f}" for week, value in enumerate(values, start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def time_once(command: list[str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{completed.stderr.decode()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--chart", choices=("xmr", "run"), default="xmr")
    parser.add_argument(
        "--scrutiny",
        default=str(Path(sys.executable).parent / "scrutiny"),
        help="the console script to time (default: next to this Python)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "measure.csv"
        write_measure(path, args.points)
        command = [args.scrutiny, "spc", str(path), "--chart", args.chart, "--format", "json"]
        time_once(command)
        times = [time_once(command) for _ in range(args.repeats)]
    median, worst = statistics.median(times), max(times)
    print(f"command: scrutiny spc FILE.csv --chart {args.chart} --format json")
    print(f"points: {args.points:,}; repeats: {args.repeats} (after one warm-up)")
    print(f"median: {median:.3f} s; max: {worst:.3f} s; min: {min(times):.3f} s")
    print(f"target: < {TARGET_SECONDS:.0f} s — {'met' if worst < TARGET_SECONDS else 'NOT met'}")
    print(f"python {platform.python_version()} on {platform.platform()}")


if __name__ == "__main__":
    main()
