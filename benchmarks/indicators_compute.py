"""Time ``scrutiny indicators compute`` on 1,000,000 synthetic children against plain pandas.

Targets: under 30 s and under 4 GB peak memory on a 2-core machine, at least 10 times faster
than the pandas reference (``benchmarks/indicators_pandas.py``), and identical numbers.

The synthetic files (``scrutiny synth``: 10 years, 32 councils) are cached under
``var/bench/`` and reused. Both programs run as fresh processes under ``/usr/bin/time -v``, so
interpreter start-up, imports, reading the CSVs and writing the output all count, and the peak
memory is the process's maximum resident set size. Each runs ``--repeats`` times; the median
is reported. If one pandas run takes longer than ``--pandas-limit`` seconds, pandas is measured
on a 100,000-child data set instead (both programs, and their outputs compared there).

    .venv/bin/python benchmarks/indicators_compute.py [--children 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CACHE = ROOT / "var" / "bench"
TARGET_SECONDS = 30.0
TARGET_PEAK_GB = 4.0
TARGET_RATIO = 10.0
SUBSET_CHILDREN = 100_000


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_gb: float


def data_set(children: int, seed: int) -> tuple[Path, float | None]:
    """The cached synthetic files for ``children`` (generated if missing) and the time taken
    to generate them (None when reused)."""
    directory = CACHE / f"childlevel-{children}-c32-y10-seed{seed}"
    names = ("looked_after.csv", "child_protection.csv", "population.csv")
    if all((directory / name).exists() for name in names):
        return directory, None
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "scrutiny"),
            "synth",
            "--children",
            str(children),
            "--seed",
            str(seed),
            "-o",
            str(directory),
        ],
        check=True,
    )
    return directory, time.perf_counter() - start


def timed(command: list[str], limit: float | None = None) -> Run | None:
    """Run under /usr/bin/time -v; None when it took longer than ``limit`` seconds."""
    start = time.perf_counter()
    try:
        completed = subprocess.run(
            ["/usr/bin/time", "-v", *command],
            capture_output=True,
            text=True,
            timeout=limit,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    seconds = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{completed.stderr}")
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", completed.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", completed.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", completed.stderr)
    if peak is None or user is None or system is None:
        sys.exit("/usr/bin/time -v gave no times or maximum resident set size")
    return Run(
        seconds=seconds,
        cpu_seconds=float(user.group(1)) + float(system.group(1)),
        peak_gb=int(peak.group(1)) / 1024**2,
    )


def compute_command(directory: Path, output: Path) -> list[str]:
    return [
        str(BIN / "scrutiny"),
        "indicators",
        "compute",
        "--looked-after",
        str(directory / "looked_after.csv"),
        "--child-protection",
        str(directory / "child_protection.csv"),
        "--population",
        str(directory / "population.csv"),
        "-o",
        str(output),
    ]


def pandas_command(directory: Path, output: Path) -> list[str]:
    return [
        sys.executable,
        str(ROOT / "benchmarks" / "indicators_pandas.py"),
        str(directory / "looked_after.csv"),
        str(directory / "child_protection.csv"),
        str(directory / "population.csv"),
        "-o",
        str(output),
    ]


def read_table(path: Path) -> list[tuple[str, int, str, int, int | None, float | None]]:
    """The tidy table with numbers parsed, so that 3 and 3.0 compare equal but nothing else."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        assert header == ["council", "year", "indicator", "numerator", "denominator", "value"]
        rows = []
        for council, year, indicator, numerator, denominator, value in reader:
            number = None if value == "" else float(value)
            rows.append(
                (
                    council,
                    int(year),
                    indicator,
                    int(numerator),
                    None if denominator == "" else int(denominator),
                    None if number is None or math.isnan(number) else number,
                )
            )
    return rows


def count_rows(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(1 for _ in fh) - 1


def measure(command: list[str], repeats: int, limit: float | None = None) -> list[Run] | None:
    runs = []
    for _ in range(repeats):
        run = timed(command, limit)
        if run is None:
            return None
        runs.append(run)
    return runs


def median_seconds(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def median_cpu_seconds(runs: list[Run]) -> float:
    return statistics.median(run.cpu_seconds for run in runs)


@dataclass(frozen=True)
class Phases:
    """In-process wall and CPU seconds: reading and checking the files by the fast pass, by the
    ordered pass alone (the path taken by files with problems), reading the two event files into
    typed tables with no check at all (what no validation would leave), and the whole
    computation."""

    checking: tuple[float, float]
    checking_ordered: tuple[float, float]
    reading_unchecked: tuple[float, float]
    computing: tuple[float, float]


def _typed(path: Path, dates: tuple[str, ...]) -> str:
    """SQL: the CSV's rows, every column as read, the dates (and ``birth_month``) typed."""
    read = f"read_csv('{path}', header = true, all_varchar = true)"
    typed = ", ".join(f"TRY_CAST({column} AS DATE) AS {column}" for column in dates)
    return (
        f"SELECT * REPLACE ({typed}, "
        f"TRY_CAST(birth_month || '-01' AS DATE) AS birth_month) FROM {read}"
    )


def _clock(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def phases(directory: Path) -> Phases:
    import duckdb

    from scrutiny.analysis.childlevel.compute import DEFAULT_MEMORY_LIMIT, indicators_compute
    from scrutiny.analysis.childlevel.validate import ChildLevelFiles, load_validated

    files = ChildLevelFiles(
        directory / "looked_after.csv",
        directory / "child_protection.csv",
        directory / "population.csv",
    )
    config: dict[str, str | bool | int | float | list[str]] = {
        "threads": 2,
        "memory_limit": DEFAULT_MEMORY_LIMIT,
        "preserve_insertion_order": True,
    }

    def checking(*, fast: bool) -> tuple[float, float]:
        with duckdb.connect(config=config) as con:
            return _clock(lambda: load_validated(con, files, fast=fast))

    def reading_unchecked() -> tuple[float, float]:
        with duckdb.connect(config=config) as con:
            looked_after = _typed(
                files.looked_after,
                ("episode_start", "episode_end", "placement_start", "placement_end"),
            )
            child_protection = _typed(
                files.child_protection, ("registration_date", "deregistration_date")
            )
            return _clock(
                lambda: (
                    con.execute(f"CREATE TEMP TABLE la AS {looked_after}"),
                    con.execute(f"CREATE TEMP TABLE cp AS {child_protection}"),
                )
            )

    return Phases(
        checking=checking(fast=True),
        checking_ordered=checking(fast=False),
        reading_unchecked=reading_unchecked(),
        computing=_clock(lambda: indicators_compute(files=files)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--pandas-limit", type=float, default=900.0)
    args = parser.parse_args()

    directory, generated = data_set(args.children, args.seed)
    placements = count_rows(directory / "looked_after.csv")
    registrations = count_rows(directory / "child_protection.csv")
    size_mb = sum(p.stat().st_size for p in directory.glob("*.csv")) / 1024**2
    out = directory / "out"
    out.mkdir(exist_ok=True)

    ours = measure(compute_command(directory, out / "duckdb.csv"), args.repeats)
    assert ours is not None
    in_process = phases(directory)
    pandas_directory = directory
    theirs = measure(pandas_command(directory, out / "pandas.csv"), args.repeats, args.pandas_limit)
    subset_note = ""
    ours_on_pandas_data = ours
    if theirs is None:
        pandas_directory, _ = data_set(SUBSET_CHILDREN, args.seed)
        sub_out = pandas_directory / "out"
        sub_out.mkdir(exist_ok=True)
        ours_on_pandas_data = (
            measure(compute_command(pandas_directory, sub_out / "duckdb.csv"), args.repeats) or []
        )
        theirs = measure(pandas_command(pandas_directory, sub_out / "pandas.csv"), args.repeats)
        assert theirs is not None
        subset_note = (
            f"pandas took over {args.pandas_limit:.0f} s on {args.children:,} children, so both "
            f"were compared on {SUBSET_CHILDREN:,} children"
        )
    compared = pandas_directory / "out"
    identical = read_table(compared / "duckdb.csv") == read_table(compared / "pandas.csv")
    output_rows = count_rows(out / "duckdb.csv")

    ours_s = median_seconds(ours)
    ours_peak = max(run.peak_gb for run in ours)
    ratio = median_seconds(theirs) / median_seconds(ours_on_pandas_data)
    cpu_ratio = median_cpu_seconds(theirs) / median_cpu_seconds(ours_on_pandas_data)
    verdict = {
        f"compute < {TARGET_SECONDS:.0f} s": ours_s < TARGET_SECONDS,
        f"peak < {TARGET_PEAK_GB:.0f} GB": ours_peak < TARGET_PEAK_GB,
        f"at least {TARGET_RATIO:.0f} times faster than pandas": ratio >= TARGET_RATIO,
        "identical numbers": identical,
    }
    print(
        "## Child-level indicators at national scale "
        f"(`scrutiny indicators compute`, {dt.date.today()})"
    )
    print()
    print(
        f"Machine: {platform.machine()}, Python {platform.python_version()}, "
        "2 cores, 24 GB (shared with other work while measured)."
    )
    print()
    print("```sh")
    print(
        f"scrutiny synth --children {args.children} --seed {args.seed} "
        f"-o {directory.relative_to(ROOT)}"
    )
    print(f".venv/bin/python benchmarks/indicators_compute.py --children {args.children}")
    print("```")
    print()
    print(
        f"Data: {args.children:,} children, 32 councils, 10 years: {placements:,} placement "
        f"rows, {registrations:,} registrations ({size_mb:,.0f} MB of CSV)"
        + (f", generated in {generated:.1f} s" if generated is not None else "")
        + f". Output: {output_rows:,} rows."
    )
    print()
    print("| | median time | runs | median CPU time (user + system) | peak memory |")
    print("|---|---|---|---|---|")
    for label, runs in (
        ("`scrutiny indicators compute` (DuckDB, validation included)", ours),
        ("pandas reference (no validation)", theirs),
    ):
        print(
            f"| {label} | {median_seconds(runs):.1f} s | "
            f"{', '.join(f'{r.seconds:.1f}' for r in runs)} s | "
            f"{median_cpu_seconds(runs):.1f} s | "
            f"{max(r.peak_gb for r in runs):.2f} GB |"
        )
    print()
    print(
        f"Speed ratio (pandas time / DuckDB time, medians): {ratio:.1f}; "
        f"on CPU time {cpu_ratio:.1f}.",
        end="",
    )
    print(f" ({subset_note}.)" if subset_note else "")
    print(f"Identical numbers: {'yes' if identical else 'NO'}.")
    (wall, cpu), (check_wall, check_cpu) = in_process.computing, in_process.checking
    ordered_wall, ordered_cpu = in_process.checking_ordered
    unchecked_wall, unchecked_cpu = in_process.reading_unchecked
    print(
        f"In one process, `indicators_compute` took {wall:.1f} s ({cpu:.1f} s CPU), of which "
        f"reading and checking the files {check_wall:.1f} s ({check_cpu:.1f} s CPU) and the "
        f"indicators {wall - check_wall:.1f} s ({cpu - check_cpu:.1f} s CPU). Reading and "
        f"checking by the ordered pass alone, as for files with problems: {ordered_wall:.1f} s "
        f"({ordered_cpu:.1f} s CPU). Reading the two event files into typed tables with no "
        f"check at all: {unchecked_wall:.2f} s ({unchecked_cpu:.2f} s CPU)."
    )
    print()
    print(
        "Targets: "
        + "; ".join(f"{name}: {'met' if met else 'NOT met'}" for name, met in verdict.items())
        + "."
    )


if __name__ == "__main__":
    main()
