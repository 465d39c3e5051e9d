"""`scrutiny themes evaluate`: the JSON contract, both modes, and one-line errors."""

from __future__ import annotations

import csv
import importlib.util
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scrutiny.cli import app

runner = CliRunner()

CONTRACT_KEYS = [
    "method",
    "n_train",
    "n_test",
    "accuracy",
    "balanced_accuracy",
    "macro_f1",
    "per_code",
]
CODE_KEYS = ["precision", "recall", "f1", "support"]

WORDS = {
    "Food": ["dinner", "lunch", "breakfast", "snacks"],
    "Transport": ["bus", "taxi", "train", "coach"],
    "Staff": ["carer", "teacher", "nurse", "key worker"],
}
FRAMES = ["the {} was good", "I did not like the {}", "the {} was late again", "more {} please"]


def coded_rows(frames: int = 3) -> list[tuple[str, str, str]]:
    """Four telling words a code, each in ``frames`` sentence frames that every code shares."""
    rows: list[tuple[str, str, str]] = []
    for code, words in WORDS.items():
        for word in words:
            for frame in FRAMES[:frames]:
                rows.append((f"{code[:1]}{len(rows)}", frame.format(word), code))
    return rows


def write_csv(
    path: Path,
    rows: Sequence[tuple[str, ...]],
    *,
    header: tuple[str, ...] = ("id", "comment", "theme"),
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def evaluate(*args: str | Path) -> Result:
    return runner.invoke(
        app,
        ["themes", "evaluate", "--text-col", "comment", "--code-col", "theme"]
        + [str(a) for a in args],
    )


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_cross_validation_prints_exactly_the_contract_keys(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    result = evaluate("--data", data, "--folds", "3")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == CONTRACT_KEYS
    assert report["method"] == "tfidf"
    assert set(report["per_code"]) == {"Food", "Transport", "Staff"}
    for scores in report["per_code"].values():
        assert list(scores) == CODE_KEYS
        assert scores["support"] == 12


def test_cross_validation_counts_every_row_as_trained_on_and_tested(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    report = json.loads(evaluate("--data", data, "--folds", "3").stdout)
    assert report["n_train"] == report["n_test"] == 36
    assert report["balanced_accuracy"] > 0.8
    assert 0 <= report["macro_f1"] <= 1
    assert 0 <= report["accuracy"] <= 1


def test_it_uses_five_folds_by_default(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows(frames=1))
    assert_one_line_error(evaluate("--data", data), "5 folds", "has only 4")
    assert evaluate("--data", data, "--folds", "4").exit_code == 0


def test_train_and_test_report_the_size_of_each_file(tmp_path: Path) -> None:
    train = write_csv(tmp_path / "train.csv", coded_rows())
    test = write_csv(
        tmp_path / "test.csv",
        [("t1", "the taxi was late", "Transport"), ("t2", "cold dinner", "Food")],
    )
    result = evaluate("--train", train, "--test", test)
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert list(report) == CONTRACT_KEYS
    assert (report["n_train"], report["n_test"]) == (36, 2)
    assert report["accuracy"] == 1.0
    assert report["per_code"]["Transport"]["support"] == 1


def test_the_seed_gives_the_same_figures(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    first = evaluate("--data", data, "--folds", "3", "--seed", "11").stdout
    assert first == evaluate("--data", data, "--folds", "3", "--seed", "11").stdout


def test_rows_with_an_empty_text_or_code_are_skipped_and_counted(tmp_path: Path) -> None:
    rows = [*coded_rows(), ("x1", "", "Food"), ("x2", "the bus", " "), ("x3", "  ", "")]
    data = write_csv(tmp_path / "coded.csv", rows)
    result = evaluate("--data", data, "--folds", "3")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["n_test"] == 36
    assert f"Skipped 3 rows of {data} with an empty text or code." in result.stderr


def test_it_reads_utf8_with_a_byte_order_mark(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows(), encoding="utf-8-sig")
    assert evaluate("--data", data, "--folds", "3").exit_code == 0


def test_it_does_not_start_django(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from scrutiny.cli import app\n"
        "result = CliRunner().invoke(app, ['themes', 'evaluate', '--data', sys.argv[1],"
        " '--folds', '3', '--text-col', 'comment', '--code-col', 'theme'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('django' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, str(data)], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "False"


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    assert_one_line_error(evaluate("--data", missing), str(missing), "no such file")


def test_an_unknown_column_lists_the_columns_there_are(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    result = runner.invoke(
        app,
        [
            "themes",
            "evaluate",
            "--data",
            str(data),
            "--text-col",
            "feedback",
            "--code-col",
            "theme",
        ],
    )
    assert_one_line_error(result, "no column named 'feedback'", "'id', 'comment', 'theme'")


def test_data_together_with_train_is_refused(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    result = evaluate("--data", data, "--train", data, "--test", data)
    assert_one_line_error(result, "either --data FILE, or both --train FILE and --test FILE")


def test_train_without_test_is_refused(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    assert_one_line_error(evaluate("--train", data), "both --train FILE and --test FILE")


def test_no_data_at_all_is_refused() -> None:
    assert_one_line_error(evaluate(), "either --data FILE")


def test_folds_with_train_and_test_is_refused(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    result = evaluate("--train", data, "--test", data, "--folds", "3")
    assert_one_line_error(result, "--folds goes with --data")


def test_fewer_than_two_codes_is_refused(tmp_path: Path) -> None:
    rows = [row for row in coded_rows() if row[2] == "Food"]
    data = write_csv(tmp_path / "coded.csv", rows)
    assert_one_line_error(evaluate("--data", data, "--folds", "3"), "at least 2 different codes")


def test_more_folds_than_the_smallest_code_has_is_refused(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", [*coded_rows(), ("g1", "a ghost", "Ghosts")])
    assert_one_line_error(
        evaluate("--data", data, "--folds", "3"), "3 folds", "'Ghosts' has only 1"
    )


def test_fewer_than_two_folds_is_refused(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    assert_one_line_error(evaluate("--data", data, "--folds", "1"), "at least 2 folds")


def test_an_empty_test_file_is_refused(tmp_path: Path) -> None:
    train = write_csv(tmp_path / "train.csv", coded_rows())
    test = write_csv(tmp_path / "test.csv", [])
    assert_one_line_error(evaluate("--train", train, "--test", test), "no coded comments to test")


def test_an_unknown_method_is_refused(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    result = evaluate("--data", data, "--method", "bert")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None,
    reason="sentence-transformers is installed here",
)
def test_embeddings_without_the_extra_say_to_install_it(tmp_path: Path) -> None:
    from scrutiny.analysis import themes

    themes._sentence_model.cache_clear()
    data = write_csv(tmp_path / "coded.csv", coded_rows())
    result = evaluate("--data", data, "--folds", "3", "--method", "embeddings")
    assert_one_line_error(result, "install the embeddings extra")


def test_an_empty_file_is_refused_saying_what_it_should_hold(tmp_path: Path) -> None:
    data = tmp_path / "coded.csv"
    data.write_text("", encoding="utf-8")
    result = evaluate("--data", data)
    assert_one_line_error(
        result,
        f"Error: {data}: is empty; expected a header row naming the text and code columns, then "
        "one row per coded comment.",
    )
    assert "per child" not in result.stderr
