"""``scrutiny themes evaluate``: how well suggested codes match the codes people gave.

Reads coded comments from CSV (a header row, UTF-8 with or without BOM), trains the suggestion
model of ``scrutiny.analysis.themes`` and prints, as JSON, how often its top suggestion is the
code a person gave: by stratified k-fold cross-validation over one file, or by training on one
file and testing on another.

It does not start Django, and scikit-learn is imported only when the command runs. Bad input
stops with one line on stderr and exit code 2.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scrutiny.commands.sampling import InputProblem, fail, read_csv_table

if TYPE_CHECKING:
    from scrutiny.analysis.themes import Evaluation

DEFAULT_FOLDS = 5

MESSAGE_MODE = "Error: give either --data FILE, or both --train FILE and --test FILE."
MESSAGE_FOLDS_WITHOUT_DATA = "Error: --folds goes with --data (cross-validation) only."
MESSAGE_EMPTY = (
    "Error: {file}: is empty; expected a header row naming the text and code columns, then one "
    "row per coded comment."
)
MESSAGE_NO_COLUMN = "Error: {file}: no column named {missing}; the columns are: {columns}."
MESSAGE_SKIPPED = "Skipped {count} row{s} of {file} with an empty text or code."
MESSAGE_ANALYSIS = "Error: {message}"

themes_app = typer.Typer(
    help="Assisted qualitative coding: suggest codes for comments from comments already coded.",
    no_args_is_help=True,
)


class Method(StrEnum):
    tfidf = "tfidf"
    embeddings = "embeddings"


def _coded_rows(file: Path, text_col: str, code_col: str) -> tuple[list[str], list[str]]:
    """The texts and codes of the rows that have both; the others are counted on stderr."""
    header, rows = read_csv_table(file, empty=MESSAGE_EMPTY)
    columns = [name.strip() for name in header]
    missing = [name for name in (text_col, code_col) if name not in columns]
    if missing:
        raise InputProblem(
            MESSAGE_NO_COLUMN.format(
                file=file,
                missing=", ".join(repr(name) for name in dict.fromkeys(missing)),
                columns=", ".join(repr(name) for name in columns),
            )
        )
    text_at, code_at = columns.index(text_col), columns.index(code_col)
    texts, codes = [], []
    for row in rows:
        text, code = row[text_at].strip(), row[code_at].strip()
        if text and code:
            texts.append(text)
            codes.append(code)
    skipped = len(rows) - len(texts)
    if skipped:
        typer.echo(
            MESSAGE_SKIPPED.format(count=skipped, s="" if skipped == 1 else "s", file=file),
            err=True,
        )
    return texts, codes


def _as_json(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "method": evaluation.method,
        "n_train": evaluation.n_train,
        "n_test": evaluation.n_test,
        "accuracy": round(evaluation.accuracy, 4),
        "balanced_accuracy": round(evaluation.balanced_accuracy, 4),
        "macro_f1": round(evaluation.macro_f1, 4),
        "per_code": {
            code: {
                "precision": round(scores.precision, 4),
                "recall": round(scores.recall, 4),
                "f1": round(scores.f1, 4),
                "support": scores.support,
            }
            for code, scores in evaluation.per_code.items()
        },
    }


@themes_app.command("evaluate")
def evaluate_command(
    text_col: Annotated[
        str, typer.Option("--text-col", metavar="COL", help="Column holding the comment.")
    ],
    code_col: Annotated[
        str, typer.Option("--code-col", metavar="COL", help="Column holding its code.")
    ],
    data: Annotated[
        Path | None,
        typer.Option(
            "--data", metavar="FILE", help="Coded comments to cross-validate on.", dir_okay=False
        ),
    ] = None,
    folds: Annotated[
        int | None,
        typer.Option(
            "--folds",
            metavar="K",
            help=f"Folds of the cross-validation, with --data [default: {DEFAULT_FOLDS}].",
        ),
    ] = None,
    train: Annotated[
        Path | None,
        typer.Option("--train", metavar="FILE", help="Coded comments to train on.", dir_okay=False),
    ] = None,
    test: Annotated[
        Path | None,
        typer.Option("--test", metavar="FILE", help="Coded comments to test on.", dir_okay=False),
    ] = None,
    method: Annotated[
        Method,
        typer.Option(
            "--method", help="tfidf, or embeddings (needs the embeddings extra installed)."
        ),
    ] = Method.tfidf,
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="Random seed.")] = 0,
) -> None:
    """Print as JSON how often the top suggested code is the code a person gave.

    With --data: stratified K-fold cross-validation. Every comment is predicted once, by the
    model trained on the other folds, and the figures are over those pooled predictions; so
    n_train and n_test are both the number of coded comments used. With --train and --test:
    n_train and n_test are the coded comments used from each file.

    Fields: method, n_train, n_test, accuracy, balanced_accuracy (mean recall over codes),
    macro_f1, and per_code (precision, recall, f1, support). Rows with an empty text or code
    are skipped, and counted on stderr.
    """
    from scrutiny.analysis import themes

    try:
        if data is not None and (train is not None or test is not None):
            raise InputProblem(MESSAGE_MODE)
        if data is not None:
            texts, codes = _coded_rows(data, text_col, code_col)
            evaluation = themes.cross_validate(
                texts,
                codes,
                method=method.value,
                folds=DEFAULT_FOLDS if folds is None else folds,
                seed=seed,
            )
        elif train is not None and test is not None:
            if folds is not None:
                raise InputProblem(MESSAGE_FOLDS_WITHOUT_DATA)
            train_texts, train_codes = _coded_rows(train, text_col, code_col)
            test_texts, test_codes = _coded_rows(test, text_col, code_col)
            evaluation = themes.evaluate(
                train_texts, train_codes, test_texts, test_codes, method=method.value, seed=seed
            )
        else:
            raise InputProblem(MESSAGE_MODE)
    except themes.ThemeError as error:
        raise fail(InputProblem(MESSAGE_ANALYSIS.format(message=error))) from None
    except InputProblem as problem:
        raise fail(problem) from None
    typer.echo(json.dumps(_as_json(evaluation), indent=2, ensure_ascii=False))
