"""Assisted coding on 10,334 NHS Friends and Family Test comments coded by people (9 themes).

Run from the repository root:

* ``.venv/bin/python -m benchmarks.themes`` (TF-IDF, the default method);
* ``.venv-embeddings/bin/python -m benchmarks.themes --method embeddings`` (sentence
  embeddings; needs the separate venv described in ``docs/benchmarks.md``).

Targets: 5-fold stratified cross-validated balanced accuracy at least 0.62 (tfidf) or 0.66
(embeddings); training on all comments under 60 s (tfidf); one suggestion under 50 ms after
loading. Figures:

(a) cross-validation: accuracy, balanced accuracy and macro F1 over the pooled out-of-fold
    predictions, for each seed of the fold split asked for;
(b) training time on all comments (and the size of the stored model);
(c) latency of ``suggest`` for one comment (top 3), median and 95th percentile over single
    calls, after loading the model from bytes;
(d) recall per code next to pxtextmining's published phase-1 recall (test split, n = 3,411).

The data are health feedback, used here only to measure: never demonstration content.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import statistics
import time
from pathlib import Path

from scrutiny.analysis import themes

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "fft-labelled-comments.csv"
TARGET_BALANCED_ACCURACY = {"tfidf": 0.62, "embeddings": 0.66}
TARGET_TRAIN_SECONDS = 60.0
TARGET_SUGGEST_MS = 50.0
PXTEXTMINING_RECALL = {
    "Access": 0.47,
    "Care received": 0.65,
    "Communication": 0.56,
    "Couldn't be improved": 0.92,
    "Dignity": 0.32,
    "Environment/ facilities": 0.59,
    "Miscellaneous": 0.52,
    "Staff": 0.84,
    "Transition/coordination": 0.17,
}


def read(path: Path) -> tuple[list[str], list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["feedback"].strip()]
    return [row["feedback"] for row in rows], [row["label"] for row in rows]


def latency_line(model: themes.ThemeModel, probes: list[str], label: str) -> str:
    latencies = []
    for text in probes:
        start = time.perf_counter()
        model.suggest([text], top_k=3)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * len(latencies)) - 1)]
    return (
        f"- {label}: median {statistics.median(latencies):.2f} ms, "
        f"95th percentile {p95:.2f} ms over {len(latencies)} calls"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--method", choices=themes.METHODS, default="tfidf")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--calls", type=int, default=200, help="single-comment suggest calls")
    args = parser.parse_args()
    method: str = args.method

    texts, codes = read(args.data)
    print(f"# Assisted coding benchmark: method {method}")
    print(
        f"{len(texts):,} comments, {len(set(codes))} codes; {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}"
    )

    print(f"\n## (a) {args.folds}-fold stratified cross-validation")
    print("| fold seed | accuracy | balanced accuracy | macro F1 | seconds | CPU seconds |")
    print("|---|---|---|---|---|---|")
    first: themes.Evaluation | None = None
    balanced = []
    for seed in args.seeds:
        start, cpu = time.perf_counter(), time.process_time()
        evaluation = themes.cross_validate(texts, codes, method=method, folds=args.folds, seed=seed)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        first = first or evaluation
        balanced.append(evaluation.balanced_accuracy)
        print(
            f"| {seed} | {evaluation.accuracy:.4f} | {evaluation.balanced_accuracy:.4f} | "
            f"{evaluation.macro_f1:.4f} | {seconds:.1f} | {cpu:.1f} |"
        )
    spread = f" (min {min(balanced):.4f}, max {max(balanced):.4f})" if len(balanced) > 1 else ""
    print(
        f"Mean balanced accuracy {statistics.mean(balanced):.4f}{spread}; "
        f"target ≥ {TARGET_BALANCED_ACCURACY[method]}."
    )

    print("\n## (b) training on all comments")
    start, cpu = time.perf_counter(), time.process_time()
    model = themes.train(texts, codes, method=method, seed=0)
    train_seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    stored = model.to_bytes()
    print(
        f"{train_seconds:.1f} s, {cpu:.1f} s CPU (target < {TARGET_TRAIN_SECONDS:.0f} s, tfidf); "
        f"stored model {len(stored) / 1e6:.1f} MB."
    )

    print("\n## (c) one suggestion (top 3) for one comment, after loading")
    start = time.perf_counter()
    loaded = themes.ThemeModel.from_bytes(stored)
    load_seconds = time.perf_counter() - start
    probes = random.Random(0).sample(texts, min(args.calls, len(texts)))
    loaded.suggest(probes[:1])  # the first call loads the sentence model, when there is one
    print(f"Loading from bytes {load_seconds:.2f} s; target < {TARGET_SUGGEST_MS:.0f} ms a call.")
    if method != "embeddings":
        print(latency_line(loaded, probes, "one thread (scikit-learn)"))
    else:
        import torch

        threads = torch.get_num_threads()
        print(latency_line(loaded, probes, f"{threads} torch thread{'' if threads == 1 else 's'}"))
        if torch.get_num_threads() != 1:
            # PyTorch's threads spin while they wait: on busy cores one thread answers faster.
            torch.set_num_threads(1)
            print(latency_line(loaded, probes, "1 torch thread"))

    assert first is not None
    print(f"\n## (d) recall per code (fold seed {args.seeds[0]}) next to pxtextmining")
    print("| code | support | recall here | pxtextmining recall | precision here | F1 here |")
    print("|---|---|---|---|---|---|")
    for code, scores in first.per_code.items():
        theirs = PXTEXTMINING_RECALL.get(code)
        print(
            f"| {code} | {scores.support:,} | {scores.recall:.2f} | "
            f"{'' if theirs is None else f'{theirs:.2f}'} | {scores.precision:.2f} | "
            f"{scores.f1:.2f} |"
        )
    print(
        f"| mean (balanced accuracy) | | {first.balanced_accuracy:.2f} | "
        f"{statistics.mean(PXTEXTMINING_RECALL.values()):.2f} | | |"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak memory of the run: {peak_mb:,.0f} MB.")


if __name__ == "__main__":
    main()
