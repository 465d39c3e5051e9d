"""Reading the tables people hand over: CSV text (UTF-8 with or without BOM, or Windows-1252)
and Excel workbooks. Shared by the command line (``scrutiny sample``, ``sdc``, ``spc``,
``themes``; ``indicators compute`` names the separator of a file that is not comma-separated) and
the web imports (pre-inspection returns, survey responses).

No Django here, and nothing heavy is imported until a workbook is read, so the command line stays
quick. Callers decide what a problem means: the command line stops at the first, the imports
collect every one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO

ENCODINGS = ("utf-8-sig", "cp1252")  # UTF-8 with or without BOM, then Windows-1252
DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}

Cell = str | int | float | bool | date | datetime | None

# A value quoted back in a problem message is cut to this many characters: a 5,000-character
# cell repeated in full makes the list of problems unreadable (and the page miles wide).
QUOTED_VALUE = 40
QUOTED_HEADING = 100  # headings are often whole questions; they are cut only when absurd


class NotText(ValueError):
    """The bytes are neither UTF-8 nor Windows-1252 text (or hold a NUL: a binary file)."""


class NotAWorkbook(ValueError):
    """The file cannot be opened as an Excel workbook."""


def decode_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a byte-order mark is dropped), else Windows-1252.

    Almost any bytes decode as Windows-1252, so a NUL byte, which no text file holds, is taken
    as the sign of a binary file (a workbook, a PDF, an image, UTF-16)."""
    if b"\x00" in data:
        raise NotText("a binary file, not text")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotText("neither UTF-8 nor Windows-1252 text")


def quoted(value: str, *, limit: int = QUOTED_VALUE) -> str:
    """A value as a problem message repeats it: at most ``limit`` characters, then "…"."""
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def delimiter(text: str) -> str:
    """How the fields of a CSV text are separated: a comma, unless the file uses a semicolon
    (Excel saves "CSV" so where the decimal mark is a comma) or a tab."""
    # Decided by the header alone, read as CSV (so quoted commas do not count): free text in
    # the rows below, "kind; 'the best'; thanks", must not turn a comma file into another.
    header = next(iter(text.splitlines()), "")
    widths = {
        candidate: len(next(csv.reader([header], delimiter=candidate), []))
        for candidate in DELIMITERS
    }
    if widths[","] > 1:
        return ","
    best = max(DELIMITERS, key=lambda candidate: widths[candidate])
    return best if widths[best] > 1 else ","


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for every row that is not blank; line numbers count from 1 and
    point at the row's last line when a quoted field spans lines. The delimiter is detected."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    for row in reader:
        if any(field.strip() for field in row):
            yield reader.line_num, row


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: ``rows`` holds (row number as Excel shows it, cells)."""

    name: str
    rows: list[tuple[int, list[Cell]]]


def read_workbook(stream: IO[bytes]) -> list[Sheet]:
    """Every sheet of an .xlsx (or .xls, .ods) workbook, blank rows left out.

    Dates come back as ``date``/``datetime`` where the cell is formatted as a date; numbers as
    ``int`` or ``float``; text as ``str``.
    """
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(stream)
    except Exception as error:  # calamine raises several types for a damaged or foreign file
        raise NotAWorkbook(str(error) or type(error).__name__) from None
    sheets = []
    for name in workbook.sheet_names:
        values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        rows: list[tuple[int, list[Cell]]] = [
            (
                number,
                [cell if not isinstance(cell, (time, timedelta)) else str(cell) for cell in cells],
            )
            for number, cells in enumerate(values, start=1)
            if any(cell not in (None, "") and str(cell).strip() for cell in cells)
        ]
        sheets.append(Sheet(name=name, rows=rows))
    return sheets
