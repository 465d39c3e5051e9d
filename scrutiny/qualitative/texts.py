"""Reading text out of uploaded files, splitting it into segments, and reading tables of
comments. No database here: plain data in, plain data out, and a ``TextFileError`` with a
message for people when a file cannot be used."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_TABLE_ROWS = 200_000

EMPTY_FILE = "The file '{name}' is empty."
TOO_BIG = "The file '{name}' is larger than {limit} MB; split it into smaller files."
UNSUPPORTED = (
    "Scrutiny cannot read '{name}': upload plain text (.txt, .md), Word (.docx) or PDF (.pdf)."
)
BINARY = "The file '{name}' is not text (it contains binary data). Upload .txt, .docx or .pdf."
NOT_DOCX = "The file '{name}' is not a Word document that can be read (it may be damaged)."
NOT_PDF = "The file '{name}' is not a PDF that can be read (it may be damaged or encrypted)."
PDF_NO_TEXT = (
    "The PDF '{name}' has no text layer: it is probably a scan or a picture of text. Run it "
    "through optical character recognition (OCR) first, or paste the text in."
)
NO_TEXT = "There is no text in '{name}'."
TABLE_UNSUPPORTED = "Scrutiny cannot read '{name}' as a table: upload CSV (.csv) or Excel (.xlsx)."
TABLE_NO_HEADER = "The first row of '{name}' should hold the column names, but it is empty."
TABLE_NO_ROWS = "'{name}' has column names but no rows of comments."
TABLE_TOO_MANY = "'{name}' has more than {limit:,} rows; split it into smaller files."
TABLE_DUPLICATE_HEADER = "Column name '{header}' appears more than once in '{name}'."
CSV_UNCLOSED_QUOTE = (
    "In '{name}', row {row} (from line {line}) opens a quoted cell with \" that is never closed, "
    "so the rest of the file would be read into that one cell. Close the quote (a quote inside "
    'a quoted cell is written twice, ""), then upload the file again.'
)
CSV_MALFORMED = (
    "In '{name}', row {row} (line {line}) is not well-formed CSV ({error}): a quoted cell must "
    'end with " followed by the separator or the end of the line.'
)
NOT_XLSX = "The file '{name}' is not an Excel workbook that can be read (it may be damaged)."


class TextFileError(ValueError):
    """A file that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _check_size(name: str, data: bytes) -> None:
    if not data:
        raise TextFileError(EMPTY_FILE.format(name=name))
    if len(data) > MAX_UPLOAD_BYTES:
        raise TextFileError(TOO_BIG.format(name=name, limit=MAX_UPLOAD_BYTES // (1024 * 1024)))


def normalise(text: str) -> str:
    """Line breaks as ``\\n``, no NUL or other control characters (tabs and newlines kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch >= " " or ch == "\u00a0")


def decode_text(name: str, data: bytes) -> str:
    """Bytes of a text file as a string: UTF-8 (with or without BOM), else Windows-1252."""
    _check_size(name, data)
    if b"\x00" in data[:8192]:
        raise TextFileError(BINARY.format(name=name))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def extract_text(name: str, data: bytes) -> str:
    """The plain text of an uploaded document (.txt, .md, .docx or .pdf)."""
    _check_size(name, data)
    suffix = PurePath(name).suffix.lower()
    if suffix in (".txt", ".md", ".text"):
        text = decode_text(name, data)
    elif suffix == ".docx":
        text = _docx_text(name, data)
    elif suffix == ".pdf":
        text = _pdf_text(name, data)
    else:
        raise TextFileError(UNSUPPORTED.format(name=name))
    text = normalise(text).strip()
    if not text:
        raise TextFileError(NO_TEXT.format(name=name))
    return text


def _docx_text(name: str, data: bytes) -> str:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TextFileError(NOT_DOCX.format(name=name)) from exc
    except Exception as exc:  # python-docx raises several kinds for a file that is not DOCX
        raise TextFileError(NOT_DOCX.format(name=name)) from exc
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" | ".join(cell.text.strip() for cell in row.cells))
    return "\n\n".join(p.strip() for p in paragraphs if p.strip())


def _pdf_text(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5] == b"%PDF-":
        raise TextFileError(NOT_PDF.format(name=name))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise TextFileError(NOT_PDF.format(name=name))
        pages = [page.extract_text() or "" for page in reader.pages]
    except TextFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise TextFileError(NOT_PDF.format(name=name)) from exc
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text.strip():
        raise TextFileError(PDF_NO_TEXT.format(name=name))
    return text


_LINE = re.compile(r"[^\n]+")


def paragraphs(text: str) -> list[Span]:
    """One span per non-blank line of ``text``, trimmed of surrounding spaces."""
    spans = []
    for match in _LINE.finditer(text):
        line = match.group(0)
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        spans.append(Span(start, start + len(stripped)))
    return spans


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'\u201d\u2019)]*|$)")


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentences within ``text[start:end]``, as spans of ``text`` (trimmed)."""
    spans = []
    piece = text[start:end]
    for match in _SENTENCE.finditer(piece):
        chunk = match.group(0)
        stripped = chunk.strip()
        if not stripped:
            continue
        offset = start + match.start() + (len(chunk) - len(chunk.lstrip()))
        spans.append(Span(offset, offset + len(stripped)))
    return spans


# --- tables of comments ------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # cells as text; dates from Excel as ISO dates


def read_table(name: str, data: bytes) -> Table:
    _check_size(name, data)
    suffix = PurePath(name).suffix.lower()
    rows: Iterable[list[str]]
    if suffix in (".csv", ".txt"):
        rows = _csv_rows(name, data)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(name, data)
    else:
        raise TextFileError(TABLE_UNSUPPORTED.format(name=name))
    iterator = iter(rows)
    header_row = next(iterator, None)
    if header_row is None or not any(cell.strip() for cell in header_row):
        raise TextFileError(TABLE_NO_HEADER.format(name=name))
    headers = [cell.strip() or f"Column {i + 1}" for i, cell in enumerate(header_row)]
    seen: set[str] = set()
    for header in headers:
        if header.lower() in seen:
            raise TextFileError(TABLE_DUPLICATE_HEADER.format(header=header, name=name))
        seen.add(header.lower())
    body: list[list[str]] = []
    for row in iterator:
        if not any(cell.strip() for cell in row):
            continue
        if len(body) >= MAX_TABLE_ROWS:
            raise TextFileError(TABLE_TOO_MANY.format(name=name, limit=MAX_TABLE_ROWS))
        padded = [*row, *([""] * (len(headers) - len(row)))][: len(headers)]
        body.append(padded)
    if not body:
        raise TextFileError(TABLE_NO_ROWS.format(name=name))
    return Table(headers=headers, rows=body)


def _csv_rows(name: str, data: bytes) -> Iterator[list[str]]:
    text = normalise(decode_text(name, data))
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    # Strict, so that a quote never closed (or closed in the middle of a cell) is refused
    # instead of swallowing the rows after it.
    return _checked_rows(name, csv.reader(io.StringIO(text), dialect, strict=True))


def _checked_rows(name: str, reader: Any) -> Iterator[list[str]]:
    """The rows of ``reader``; a ``TextFileError`` naming the file, row and line of the first
    row that is not well-formed CSV (the header is row 1)."""
    row, line = 0, 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            template = CSV_UNCLOSED_QUOTE if "unexpected end of data" in str(exc) else CSV_MALFORMED
            raise TextFileError(
                template.format(name=name, row=row + 1, line=line, error=exc)
            ) from exc
        row += 1
        line = reader.line_num + 1
        yield cells


def _xlsx_rows(name: str, data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TextFileError(NOT_XLSX.format(name=name)) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise(str(value)).strip()


# --- attributes ------------------------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %Y",
    "%b %Y",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
)


def parse_date(value: str) -> date | None:
    """A date written in a common British or ISO form, or None when it cannot be read."""
    value = value.strip()
    if not value:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


RESPONDENT_WORDS = {
    "child": ("child", "young person", "young people", "pupil", "children", "yp", "cyp", "teen"),
    "parent": ("parent", "mum", "dad", "mother", "father", "guardian"),
    "carer": ("carer", "foster", "kinship", "grandparent", "adoptive"),
    "staff": ("staff", "worker", "professional", "practitioner", "teacher", "nurse", "officer"),
}
AGENCY_WORDS = {
    "health": ("health", "nhs", "nurse", "gp", "camhs", "midwife", "doctor"),
    "education": ("education", "school", "teacher", "nursery", "college", "learning"),
    "social_work": ("social work", "social worker", "children and families", "sw"),
    "police": ("police",),
    "third_sector": ("third sector", "voluntary", "charity", "barnardo", "action for children"),
    "council": ("council", "housing", "community learning", "leisure"),
}


def _match_words(value: str, table: dict[str, tuple[str, ...]]) -> str | None:
    lowered = value.strip().lower()
    if not lowered:
        return None
    for key in table:
        if lowered == key.replace("_", " ") or lowered == key:
            return key
    for key, words in table.items():
        if any(re.search(rf"\b{re.escape(word)}", lowered) for word in words):
            return key
    return None


def respondent_type_of(value: str) -> str | None:
    """The respondent type a cell names ('Foster carer' → 'carer'), or None if unrecognised."""
    return _match_words(value, RESPONDENT_WORDS)


def agency_of(value: str) -> str | None:
    return _match_words(value, AGENCY_WORDS)
