"""Reading and checking a pre-inspection return: the lists of children a partnership sends.

The format is defined in ``docs/data-dictionary.md`` ("Pre-inspection return"); this module is
its implementation. Plain data in, plain data out, no Django: the service stores what comes
out only when nothing is wrong.

Every problem is collected (file, sheet, row, column, value, what was expected) so that a
partnership can fix the whole file at once. A file that carries direct identifiers (names,
addresses, full postcodes, CHI or Scottish Candidate Numbers, full dates of birth) is refused
before any value is read, and no value of such a column is ever repeated in a message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import PurePath
from typing import IO

from scrutiny.dates import long_date
from scrutiny.tabular import (
    QUOTED_HEADING,
    Cell,
    NotAWorkbook,
    NotText,
    csv_rows,
    decode_text,
    quoted,
    read_workbook,
)

# --- the format ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListKind:
    code: str
    label: str
    start_date_meaning: str


LISTS: tuple[ListKind, ...] = (
    ListKind(
        "cp_register",
        "Child protection register",
        "date the child's name was placed on the register",
    ),
    ListKind(
        "investigated_not_registered",
        "Investigated, not registered",
        "date the child protection investigation began",
    ),
    ListKind(
        "looked_after", "Looked after", "date the current episode of being looked after began"
    ),
    ListKind(
        "vulnerable_young_person",
        "Vulnerable young people",
        "date the young person entered vulnerable young person processes",
    ),
    ListKind(
        "care_and_risk_management",
        "Care and risk management",
        "date care and risk management processes began",
    ),
)
LIST_CODES = tuple(kind.code for kind in LISTS)
LIST_LABELS = {kind.code: kind.label for kind in LISTS}
# Where a child is on more than one list, the sample counts them once, in the first of these.
LIST_PRIORITY = {code: position for position, code in enumerate(LIST_CODES)}

AGE_BANDS = ("unborn", "0-4", "5-11", "12-15", "16-17", "18+")
SEXES = ("female", "male", "other", "not_known")
SEX_ALIASES = {
    "f": "female",
    "girl": "female",
    "m": "male",
    "boy": "male",
    "not known": "not_known",
    "unknown": "not_known",
    "prefer not to say": "not_known",
}
PLACEMENT_TYPES = (
    "home",
    "kinship",
    "foster",
    "prospective_adopters",
    "other_community",
    "la_home",
    "voluntary_home",
    "residential_school",
    "secure",
    "crisis",
    "other_residential",
)
AT_HOME = "at home"
AWAY_FROM_HOME = "away from home"

LIST_COLUMN = "list"
COLUMNS = (
    "child_id",
    "birth_month",
    "age_band",
    "sex",
    "team",
    "start_date",
    "placement_type",
    "placement_start",
)
REQUIRED_COLUMNS = ("child_id", "start_date")
CHILD_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
CHI_LIKE = re.compile(r"^\d{10}$")
README_SHEETS = ("read me", "readme", "notes", "instructions", "guidance")

# Direct identifiers: header words that name them. A header is normalised (lower case, words
# joined by "_") and refused if it is one of these or contains one of the word sequences.
IDENTIFIER_HEADERS = frozenset(
    {
        "name",
        "names",
        "first_name",
        "firstname",
        "forename",
        "forenames",
        "given_name",
        "surname",
        "last_name",
        "lastname",
        "family_name",
        "full_name",
        "fullname",
        "child_name",
        "childs_name",
        "known_as",
        "address",
        "home_address",
        "street",
        "postcode",
        "post_code",
        "full_postcode",
        "chi",
        "chi_number",
        "chi_no",
        "scn",
        "scottish_candidate_number",
        "candidate_number",
        "date_of_birth",
        "dob",
        "birth_date",
        "birthdate",
        "nhs_number",
    }
)
IDENTIFIER_WORDS = ("name", "forename", "surname", "address", "postcode", "chi", "dob")
IDENTIFIER_PHRASES = ("date_of_birth", "birth_date", "candidate_number", "nhs_number")
NOT_IDENTIFIERS = frozenset({"team_name", "postcode_sector", "postcode_district", "sheet_name"})

IDENTIFIERS_REFUSED = (
    "This file was not imported: it carries direct identifiers ({columns}). Scrutiny keeps "
    "names, addresses, full postcodes, CHI numbers, Scottish Candidate Numbers and full dates of "
    "birth out of inspection evidence (data minimisation under UK GDPR): the sample needs only a "
    "pseudonymous child ID, the month of birth or age band, sex, team and the dates. Remove "
    "these columns and upload the file again; nothing from this file has been kept."
)

# Excel counts days from 30 December 1899 (its 1900 leap-year bug is in the offset).
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?: [\d:]+)?$")
ISO_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})$")
UK_MONTH = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
EARLIEST = date(1990, 1, 1)
OLDEST_BIRTH_YEARS = 26


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, where it is and what was expected there."""

    file: str
    sheet: str  # "" for a CSV file
    row: int  # as the spreadsheet or text editor shows it: the header is row 1
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        if not self.row:  # about the whole file: ``value`` says what it is
            return f"{self.file}: {self.value} — expected {self.expected}."
        where = [self.file]
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{quoted(self.column, limit=QUOTED_HEADING)}'")
        shown = f"'{quoted(self.value)}'" if self.value else "(blank)"
        return f"{', '.join(where)}: {shown} — expected {self.expected}."


@dataclass(frozen=True)
class ChildRow:
    """One child on one list, as it will be stored."""

    list_kind: str
    child_id: str
    birth_month: date | None
    age_band: str
    sex: str
    team: str
    start_date: date
    placement_type: str
    placement_start: date | None
    sheet: str
    row: int

    @property
    def placement(self) -> str:
        if self.list_kind != "looked_after":
            return ""
        return AT_HOME if self.placement_type == "home" else AWAY_FROM_HOME


@dataclass
class ReturnCheck:
    """What reading a file found: the rows, and every problem (empty: the file is clean).

    ``identifier_columns`` is set when the file was refused for carrying direct identifiers;
    its values were then not read at all.
    """

    file: str
    rows: list[ChildRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    identifier_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.identifier_columns and bool(self.rows)

    @property
    def refusal(self) -> str:
        if not self.identifier_columns:
            return ""
        return IDENTIFIERS_REFUSED.format(columns=", ".join(self.identifier_columns))


# --- normalising --------------------------------------------------------------------------


def normalise_header(text: object) -> str:
    words = re.findall(r"[a-z0-9]+", str(text if text is not None else "").lower())
    return "_".join(words)


def is_identifier_header(header: object) -> bool:
    name = normalise_header(header)
    if not name or name in NOT_IDENTIFIERS or name in COLUMNS or name == LIST_COLUMN:
        return False
    if name in IDENTIFIER_HEADERS:
        return True
    words = name.split("_")
    return any(word in words for word in IDENTIFIER_WORDS) or any(
        phrase in name for phrase in IDENTIFIER_PHRASES
    )


def list_code(value: object) -> str | None:
    """The list code for a code, a label or a sheet name (any case), or None."""
    return _list_code(str(value if value is not None else ""))


@functools.lru_cache(maxsize=512)
def _list_code(value: str) -> str | None:
    name = normalise_header(value)
    for kind in LISTS:
        if name in (kind.code, normalise_header(kind.label)):
            return kind.code
    aliases = {
        "cp": "cp_register",
        "child_protection": "cp_register",
        "investigated": "investigated_not_registered",
        "lac": "looked_after",
        "looked_after_children": "looked_after",
        "vyp": "vulnerable_young_person",
        "vulnerable_young_persons": "vulnerable_young_person",
        "crm": "care_and_risk_management",
    }
    return aliases.get(name)


def cell_text(cell: Cell) -> str:
    if cell.__class__ is str:
        return cell.strip()
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class BadValue(ValueError):
    """A value that does not fit; the message says what was expected."""


def parse_date(cell: Cell) -> date:
    """A date from a date cell, ``YYYY-MM-DD``, ``DD/MM/YYYY`` or an Excel serial number."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return _from_serial(float(cell))
    text = cell_text(cell)
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # checked below, for the message
    if EXCEL_SERIAL.match(text):
        return _from_serial(float(text))
    for pattern, order in ((ISO_DATE, (1, 2, 3)), (UK_DATE, (3, 2, 1))):
        match = pattern.match(text)
        if match:
            year, month, day = (int(match.group(k)) for k in order)
            try:
                return date(year, month, day)
            except ValueError:
                raise BadValue("a real date (YYYY-MM-DD or DD/MM/YYYY)") from None
    raise BadValue("a date (YYYY-MM-DD or DD/MM/YYYY, or an Excel date)")


def _from_serial(serial: float) -> date:
    if not serial.is_integer() or not 1 <= serial <= 2_958_465:
        raise BadValue("a date (YYYY-MM-DD or DD/MM/YYYY, or an Excel date)")
    return EXCEL_EPOCH + timedelta(days=int(serial))


NOT_A_TABLE = (
    "a CSV file (text, UTF-8 or Windows-1252) or an Excel workbook (.xlsx): start from the "
    "template, and from Excel save as CSV UTF-8 or Excel Workbook"
)
FULL_DOB = (
    "the month of birth only (YYYY-MM): this looks like a full date of birth, which Scrutiny "
    "does not keep"
)


def parse_month(cell: Cell) -> date:
    """The first day of a month from ``YYYY-MM``, ``MM/YYYY`` or a date cell on day 1."""
    if isinstance(cell, (date, datetime)) or (
        isinstance(cell, (int, float)) and not isinstance(cell, bool)
    ):
        day = parse_date(cell)
        if day.day != 1:
            raise BadValue(FULL_DOB)
        return day
    text = cell_text(cell)
    for pattern, order in ((ISO_MONTH, (1, 2)), (UK_MONTH, (2, 1))):
        match = pattern.match(text)
        if match:
            year, month = (int(match.group(k)) for k in order)
            if not 1 <= month <= 12:
                raise BadValue("a month of birth as YYYY-MM, with the month from 01 to 12")
            return date(year, month, 1)
    if ISO_DATE.match(text) or UK_DATE.match(text) or EXCEL_SERIAL.match(text):
        day = parse_date(text)
        if day.day != 1:
            raise BadValue(FULL_DOB)
        return day
    raise BadValue("a month of birth as YYYY-MM (for example 2014-03)")


def age_in_years(birth_month: date, on: date) -> int:
    """Completed years on ``on``, taking birth on the first day of the month."""
    years = on.year - birth_month.year
    if (on.month, on.day) < (birth_month.month, birth_month.day):
        years -= 1
    return years


def age_band_for(birth_month: date, on: date) -> str:
    if birth_month > on:
        return "unborn"
    age = age_in_years(birth_month, on)
    if age <= 4:
        return "0-4"
    if age <= 11:
        return "5-11"
    if age <= 15:
        return "12-15"
    if age <= 17:
        return "16-17"
    return "18+"


# --- reading ------------------------------------------------------------------------------


def check_upload(*, name: str, data: bytes, as_at: date) -> ReturnCheck:
    """Read a CSV or Excel return and check every value."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv":
        return check_csv(data=data, file=name, as_at=as_at)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        import io

        return check_workbook(stream=io.BytesIO(data), file=name, as_at=as_at)
    result = ReturnCheck(file=name)
    result.problems.append(
        Problem(name, "", 0, "", f"'{quoted(suffix or name)}' files are not read", NOT_A_TABLE)
    )
    return result


def check_csv(*, data: bytes, file: str, as_at: date) -> ReturnCheck:
    result = ReturnCheck(file=file)
    try:
        text = decode_text(data)
    except NotText:
        result.problems.append(Problem(file, "", 0, "", "this is not a CSV file", NOT_A_TABLE))
        return result
    rows = list(csv_rows(text))
    if not rows:
        result.problems.append(
            Problem(file, "", 1, "", "", "a header row, then one row per child (see the template)")
        )
        return result
    (header_line, header), body = rows[0], rows[1:]
    _check_table(
        result,
        sheet="",
        header_row=header_line,
        header=list(header),
        body=[(line, list(cells)) for line, cells in body],
        sheet_list=None,
        as_at=as_at,
    )
    return result


def check_workbook(*, stream: IO[bytes], file: str, as_at: date) -> ReturnCheck:
    result = ReturnCheck(file=file)
    try:
        sheets = read_workbook(stream)
    except NotAWorkbook:
        result.problems.append(
            Problem(file, "", 0, "", "this is not an Excel workbook that opens", NOT_A_TABLE)
        )
        return result
    tables = []
    for sheet in sheets:
        if normalise_header(sheet.name).replace("_", " ") in README_SHEETS or not sheet.rows:
            continue
        (header_row, header), body = sheet.rows[0], sheet.rows[1:]
        names = [normalise_header(cell) for cell in header]
        code = list_code(sheet.name)
        if code is None and LIST_COLUMN not in names:
            labels = ", ".join(f"'{kind.label}'" for kind in LISTS)
            result.problems.append(
                Problem(
                    file,
                    sheet.name,
                    header_row,
                    "",
                    sheet.name,
                    f"a sheet named after one of the lists ({labels}), or a 'list' column",
                )
            )
            continue
        tables.append((sheet.name, header_row, header, body, code))
    for name, header_row, header, _, _ in tables:
        _identifiers(result, name, header_row, header)
    if result.identifier_columns:
        return result
    for name, header_row, header, body, code in tables:
        _check_table(
            result,
            sheet=name,
            header_row=header_row,
            header=list(header),
            body=body,
            sheet_list=code,
            as_at=as_at,
        )
    if not tables and not result.problems:
        result.problems.append(
            Problem(file, "", 1, "", "", "at least one sheet listing children (see the template)")
        )
    return result


def _identifiers(result: ReturnCheck, sheet: str, header_row: int, header: Sequence[Cell]) -> bool:
    found = False
    for cell in header:
        if is_identifier_header(cell):
            label = cell_text(cell)
            shown = f"'{quoted(label, limit=QUOTED_HEADING)}'" + (
                f" on sheet '{sheet}'" if sheet else ""
            )
            result.identifier_columns.append(shown)
            found = True
    return found


def _check_table(
    result: ReturnCheck,
    *,
    sheet: str,
    header_row: int,
    header: list[Cell],
    body: Iterable[tuple[int, list[Cell]]],
    sheet_list: str | None,
    as_at: date,
) -> None:
    file = result.file
    if not sheet and _identifiers(result, sheet, header_row, header):
        return
    if result.identifier_columns:
        return
    names = [normalise_header(cell) for cell in header]
    position: dict[str, int] = {}
    known = set(COLUMNS) | ({LIST_COLUMN} if sheet_list is None else set())
    for index, name in enumerate(names):
        if not name:
            continue
        if name not in known:
            expected = ", ".join(sorted(known))
            result.problems.append(
                Problem(
                    file,
                    sheet,
                    header_row,
                    cell_text(header[index]),
                    cell_text(header[index]),
                    f"only the columns of the return ({expected}): remove this column",
                )
            )
        elif name in position:
            result.problems.append(
                Problem(
                    file,
                    sheet,
                    header_row,
                    cell_text(header[index]),
                    cell_text(header[index]),
                    "each column once",
                )
            )
        else:
            position[name] = index
    required = [*REQUIRED_COLUMNS, *([LIST_COLUMN] if sheet_list is None else [])]
    missing = [name for name in required if name not in position]
    if "birth_month" not in position and "age_band" not in position:
        missing.append("birth_month or age_band")
    for name in missing:
        result.problems.append(
            Problem(file, sheet, header_row, name, "", f"a column named '{name}'")
        )
    if missing:
        return
    seen: dict[tuple[str, str], int] = {}
    width = len(header)
    for row_number, cells in body:
        if len(cells) > width and any(cell_text(c) for c in cells[width:]):
            result.problems.append(
                Problem(
                    file,
                    sheet,
                    row_number,
                    "",
                    f"{len(cells)} fields",
                    f"{width} fields, as in the header row",
                )
            )
            continue
        values = {name: (cells[i] if i < len(cells) else None) for name, i in position.items()}
        row = _check_row(result, sheet, row_number, values, sheet_list, as_at)
        if row is None:
            continue
        key = (row.list_kind, row.child_id)
        if key in seen:
            result.problems.append(
                Problem(
                    file,
                    sheet,
                    row_number,
                    "child_id",
                    row.child_id,
                    f"each child once in the list '{LIST_LABELS[row.list_kind]}': this child ID is "
                    f"already at row {seen[key]}",
                )
            )
            continue
        seen[key] = row_number
        result.rows.append(row)


def _check_row(
    result: ReturnCheck,
    sheet: str,
    row_number: int,
    values: dict[str, Cell],
    sheet_list: str | None,
    as_at: date,
) -> ChildRow | None:
    problems: list[Problem] = []

    def problem(column: str, value: str, expected: str) -> None:
        problems.append(Problem(result.file, sheet, row_number, column, value, expected))

    text = {name: cell_text(value) for name, value in values.items()}

    code = sheet_list
    if code is None:
        code = list_code(text.get(LIST_COLUMN, ""))
        if code is None:
            problem(LIST_COLUMN, text.get(LIST_COLUMN, ""), "one of: " + ", ".join(LIST_CODES))

    child_id = text["child_id"]
    if not child_id:
        problem("child_id", "", "a pseudonymous child ID")
    elif CHI_LIKE.match(child_id):
        problem(
            "child_id",
            "(10 digits, not shown)",
            "a pseudonymous child ID: a 10-digit number looks like a CHI number, which must "
            "not be sent",
        )
    elif not CHILD_ID_PATTERN.match(child_id):
        problem(
            "child_id",
            child_id,
            "a pseudonymous child ID of up to 40 letters, digits, '-', '_', '.' or '/'",
        )

    birth_month: date | None = None
    raw_month = values.get("birth_month")
    if cell_text(raw_month):
        try:
            birth_month = parse_month(raw_month)
        except BadValue as error:
            shown = "(a full date, not shown)" if str(error) == FULL_DOB else text["birth_month"]
            problem("birth_month", shown, str(error))
        else:
            if birth_month.year < as_at.year - OLDEST_BIRTH_YEARS:
                problem(
                    "birth_month",
                    text["birth_month"],
                    f"a month of birth after {as_at.year - OLDEST_BIRTH_YEARS}",
                )
                birth_month = None

    band = text.get("age_band", "").replace(" ", "").lower()
    if band in ("18andover", "18orover", "over18"):
        band = "18+"
    if band and band not in AGE_BANDS:
        problem("age_band", text["age_band"], "one of: " + ", ".join(AGE_BANDS))
        band = ""
    if birth_month is not None:
        derived = age_band_for(birth_month, as_at)
        if band and band != derived:
            problem(
                "age_band",
                text["age_band"],
                f"'{derived}', the band for a child born in {birth_month:%B %Y} on the as-at "
                f"date {long_date(as_at)} (or leave age_band blank)",
            )
        band = derived
    elif not band and not cell_text(raw_month) and not text.get("age_band"):
        problem("birth_month", "", "a month of birth (YYYY-MM) or an age band")

    sex = text.get("sex", "").lower()
    sex = SEX_ALIASES.get(sex, sex.replace(" ", "_"))
    if sex and sex not in SEXES:
        problem("sex", text["sex"], "one of: " + ", ".join(SEXES) + " (or blank)")

    team = text.get("team", "")
    if len(team) > 100:
        problem("team", team, "a team name of at most 100 characters")

    start: date | None = None
    if not text["start_date"]:
        problem("start_date", "", "a date (YYYY-MM-DD or DD/MM/YYYY)")
    else:
        try:
            start = parse_date(values["start_date"])
        except BadValue as error:
            problem("start_date", text["start_date"], str(error))
        else:
            if start > as_at:
                problem(
                    "start_date",
                    text["start_date"],
                    f"a date on or before the as-at date ({long_date(as_at)})",
                )
            elif start < EARLIEST:
                problem("start_date", text["start_date"], f"a date after {long_date(EARLIEST)}")

    placement_type = text.get("placement_type", "").lower().replace(" ", "_")
    placement_start: date | None = None
    raw_placement_start = values.get("placement_start")
    if code == "looked_after":
        if not placement_type:
            problem(
                "placement_type",
                "",
                "a placement type for a looked-after child: " + ", ".join(PLACEMENT_TYPES),
            )
        elif placement_type not in PLACEMENT_TYPES:
            problem(
                "placement_type", text["placement_type"], "one of: " + ", ".join(PLACEMENT_TYPES)
            )
        if cell_text(raw_placement_start):
            try:
                placement_start = parse_date(raw_placement_start)
            except BadValue as error:
                problem("placement_start", text["placement_start"], str(error))
            else:
                if placement_start > as_at:
                    problem(
                        "placement_start",
                        text["placement_start"],
                        f"a date on or before the as-at date ({long_date(as_at)})",
                    )
    elif code is not None:
        for column in ("placement_type", "placement_start"):
            if text.get(column):
                problem(
                    column,
                    text[column],
                    "blank: placements are given for looked-after children only",
                )

    if problems:
        result.problems.extend(problems)
        return None
    assert code is not None and start is not None
    return ChildRow(
        list_kind=code,
        child_id=child_id,
        birth_month=birth_month,
        age_band=band,
        sex=sex,
        team=team,
        start_date=start,
        placement_type=placement_type if code == "looked_after" else "",
        placement_start=placement_start,
        sheet=sheet,
        row=row_number,
    )
