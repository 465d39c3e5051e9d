"""Survey responses exported by survey tools: mapping columns to questions, and reading rows.

Microsoft Forms, SmartSurvey and SurveyMonkey all export one row per response and one column
per question, with a column for when the response was submitted. People map each column once;
the mapping is saved under the signature of the headers, so the next export with the same
headers is mapped the same way. No Django here: plain data in, plain data out.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from scrutiny.tabular import QUOTED_HEADING, quoted

SUBMITTED = "__submitted__"
RESPONSE_ID = "__response_id__"
IGNORE = ""
MAX_RESPONSE_ID = 200
# Microsoft Forms calls it "ID", SurveyMonkey "Respondent ID", SmartSurvey "UserID".
ID_HEADERS = ("id", "response id", "responseid", "respondent id", "userid", "user id")
TIMESTAMP_HEADERS = (
    "timestamp",
    "completion time",
    "completed",
    "date submitted",
    "submitted",
    "submitted at",
    "submission date",
    "end date",
    "end time",
    "ended",
    "date",
    "response date",
)
LIKERT_WORDS = {
    "strongly agree": "strongly_agree",
    "agree": "agree",
    "neither agree nor disagree": "neither",
    "neither agree or disagree": "neither",
    "neither": "neither",
    "neutral": "neither",
    "disagree": "disagree",
    "strongly disagree": "strongly_disagree",
    "don't know": "dont_know",
    "dont know": "dont_know",
    "do not know": "dont_know",
    "not sure": "dont_know",
}
LIKERT_EXPECTED = (
    "one of: Strongly agree, Agree, Neither agree nor disagree, Disagree, Strongly disagree, "
    "Don't know (or blank)"
)
DATE_FORMATS_DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d/%m/%y %H:%M:%S")
DATE_FORMATS_MONTH_FIRST = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m/%d/%y %H:%M:%S")
DATE_FORMATS_BOTH = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
EXCEL_EPOCH = datetime(1899, 12, 30)
MAX_TEXT = 5000


@dataclass(frozen=True)
class Question:
    """What the mapping needs to know about a question of the instrument."""

    key: str
    text: str
    kind: str  # likert, single_choice, free_text
    choices: tuple[str, ...] = ()
    purpose: str = ""  # "", "agency" or "role"


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\ufeff", "")
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def signature(headers: Sequence[str]) -> str:
    """The same for any export with the same headers, whatever their order or spacing."""
    names = sorted(normalise(header) for header in headers)
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def suggest(headers: Sequence[str], questions: Sequence[Question]) -> dict[str, str]:
    """A first guess: the submitted-time column by its name, questions by their text (exact
    matches first, then a header and a question text of more than 12 characters where one
    contains the other)."""
    suggestion = dict.fromkeys(headers, IGNORE)
    names = {header: normalise(header) for header in headers}
    for preferred in TIMESTAMP_HEADERS:
        found = next((h for h in headers if names[h] == preferred), None)
        if found is not None:
            suggestion[found] = SUBMITTED
            break
    found_id = next((h for h in headers if names[h] in ID_HEADERS), None)
    if found_id is not None:
        suggestion[found_id] = RESPONSE_ID
    taken: set[str] = set()

    def exact(name: str, question: Question) -> bool:
        return name in (normalise(question.text), question.key.replace("-", " "))

    def near(name: str, question: Question) -> bool:
        text = normalise(question.text)
        return len(name) > 12 and len(text) > 12 and (text in name or name in text)

    for matches in (exact, near):
        for header in headers:
            if suggestion[header] != IGNORE or not names[header]:
                continue
            for question in questions:
                if question.key not in taken and matches(names[header], question):
                    suggestion[header] = question.key
                    taken.add(question.key)
                    break
    return suggestion


def check_mapping(mapping: Mapping[str, str], questions: Sequence[Question]) -> list[str]:
    """What is wrong with a mapping (empty: it can be used)."""
    problems: list[str] = []
    keys = {question.key for question in questions}
    targets = [target for target in mapping.values() if target != IGNORE]
    submitted = [h for h, target in mapping.items() if target == SUBMITTED]
    if len(submitted) != 1:
        problems.append(
            "Choose exactly one column for when each response was submitted"
            + (f" (now: {', '.join(submitted)})." if submitted else ".")
        )
    identified = [h for h, target in mapping.items() if target == RESPONSE_ID]
    if len(identified) > 1:
        problems.append(
            f"Choose at most one column for the response's ID (now: {', '.join(identified)})."
        )
    for target in sorted(set(targets) - {SUBMITTED, RESPONSE_ID}):
        if target not in keys:
            problems.append(f"'{target}' is not a question of this survey.")
        elif targets.count(target) > 1:
            columns = [h for h, t in mapping.items() if t == target]
            problems.append(
                f"Two columns are mapped to the same question ({', '.join(columns)}): choose one."
            )
    if not any(target in keys for target in targets):
        problems.append("Map at least one column to a question.")
    return problems


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        shown = f"'{quoted(self.value)}'" if self.value else "(blank)"
        column = quoted(self.column, limit=QUOTED_HEADING)
        return f"Row {self.row}, column '{column}': {shown} — expected {self.expected}."


@dataclass(frozen=True)
class ParsedResponse:
    row: int
    submitted_at: datetime
    answers: dict[str, str]  # question key -> option value (likert, choice) or text
    agency: str = ""
    role: str = ""
    source_id: str = ""  # the survey tool's ID for the response, if a column gives it


def moment(submitted_at: datetime) -> str:
    """A submission time to the second, in UTC, for comparing responses."""
    return submitted_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def fingerprint(*, submitted_at: datetime, answers: Mapping[str, str]) -> str:
    """The same for two responses submitted at the same second (``submitted_at`` with its
    time zone) with the same answers: how a response already imported is recognised when the
    export has no ID column."""
    content = json.dumps([moment(submitted_at), sorted(answers.items())], ensure_ascii=False)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Imported:
    """What is already stored for a survey: the IDs of its responses, each with the times
    (``moment``) it was submitted at, and the fingerprints of all of them and of those stored
    without an ID (each counted as often as it occurs)."""

    ids: Mapping[str, frozenset[str]] = field(default_factory=dict)
    fingerprints: Counter[str] = field(default_factory=Counter)
    fingerprints_without_id: Counter[str] = field(default_factory=Counter)


def split_new(
    responses: Sequence[ParsedResponse], *, imported: Imported, fingerprints: Sequence[str]
) -> tuple[list[ParsedResponse], int]:
    """The responses not imported before, and how many were. A response with an ID is already
    there if a stored response has that ID and was submitted at the same second (an ID alone
    is not enough: tools number each form's responses 1, 2, 3…, so another form's response 1
    is not this one), or (stored before IDs were mapped) has no ID and the same fingerprint;
    one without an ID, if a stored response has the same fingerprint. Fingerprints are matched
    one for one, so two identical responses stay two."""
    any_left = Counter(imported.fingerprints)
    unidentified_left = Counter(imported.fingerprints_without_id)
    new: list[ParsedResponse] = []
    for response, print_ in zip(responses, fingerprints, strict=True):
        times = imported.ids.get(response.source_id, frozenset())
        if response.source_id and moment(response.submitted_at) in times:
            continue
        left = unidentified_left if response.source_id else any_left
        if left[print_] > 0:
            left[print_] -= 1
            continue
        new.append(response)
    return new, len(responses) - len(new)


@dataclass
class ParsedResponses:
    responses: list[ParsedResponse] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def parse_timestamp(text: str, *, day_first: bool = True) -> datetime:
    value = text.strip().replace("\u202f", " ")
    value = re.sub(r"(\.\d+)?(Z|[+-]\d\d:?\d\d)?$", "", value) if "T" in value else value
    if re.fullmatch(r"\d{5}(\.\d+)?", value):
        return EXCEL_EPOCH + timedelta(days=float(value))
    twelve_hour = re.search(r"\s*([AaPp][Mm])$", value)
    formats: tuple[str, ...] = (
        *DATE_FORMATS_BOTH,
        *(DATE_FORMATS_DAY_FIRST if day_first else DATE_FORMATS_MONTH_FIRST),
    )
    if twelve_hour:
        value = value[: twelve_hour.start()] + " " + twelve_hour.group(1).upper()
        formats = tuple(f.replace("%H", "%I") + " %p" for f in formats if "%H" in f)
    for pattern in formats:
        try:
            return datetime.strptime(value, pattern)
        except ValueError:
            continue
    raise ValueError(value)


def likert_value(text: str) -> str | None:
    return LIKERT_WORDS.get(normalise(text))


def survey_window(opens_on: date | None, closes_on: date | None) -> str:
    """The survey's dates as a message says them ("from 13 July 2026 to 2 August 2026")."""
    if opens_on and closes_on:
        return f"from {_day(opens_on)} to {_day(closes_on)}"
    if opens_on:
        return f"on or after {_day(opens_on)}"
    if closes_on:
        return f"on or before {_day(closes_on)}"
    return ""


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def parse_rows(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    *,
    mapping: Mapping[str, str],
    questions: Sequence[Question],
    day_first: bool = True,
    now: datetime | None = None,
    opens_on: date | None = None,
    closes_on: date | None = None,
) -> ParsedResponses:
    """Read every row with a checked mapping, collecting every problem. With ``now`` (in the
    file's time), a response submitted after it is a problem; with the survey's dates, so is one
    submitted before it opened or after it closed."""
    by_key = {question.key: question for question in questions}
    columns = [
        (index, name, mapping.get(name, IGNORE))
        for index, name in enumerate(header)
        if mapping.get(name, IGNORE) != IGNORE
    ]
    result = ParsedResponses()
    order = "day/month/year" if day_first else "month/day/year"
    id_rows: dict[str, int] = {}
    window = survey_window(opens_on, closes_on)
    for row_number, cells in rows:
        problems: list[RowProblem] = []
        submitted: datetime | None = None
        answers: dict[str, str] = {}
        agency = role = source_id = ""
        if len(cells) != len(header):
            result.problems.append(
                RowProblem(
                    row_number, "", f"{len(cells)} fields", f"{len(header)} fields, as the header"
                )
            )
            continue
        for index, name, target in columns:
            value = cells[index].strip()
            if target == SUBMITTED:
                try:
                    submitted = parse_timestamp(value, day_first=day_first)
                except ValueError:
                    problems.append(
                        RowProblem(
                            row_number,
                            name,
                            value,
                            f"a date and time ({order}, or YYYY-MM-DD hh:mm:ss)",
                        )
                    )
                    continue
                if now is not None and submitted > now:
                    problems.append(
                        RowProblem(
                            row_number,
                            name,
                            value,
                            f"a time in the past: this is after now ({now:%d/%m/%Y %H:%M})",
                        )
                    )
                elif (opens_on and submitted.date() < opens_on) or (
                    closes_on and submitted.date() > closes_on
                ):
                    problems.append(
                        RowProblem(
                            row_number,
                            name,
                            value,
                            f"a date {window}: the survey's dates (check them, or the file)",
                        )
                    )
                continue
            if target == RESPONSE_ID:
                if len(value) > MAX_RESPONSE_ID:
                    problems.append(
                        RowProblem(
                            row_number,
                            name,
                            value,
                            f"an ID of at most {MAX_RESPONSE_ID} characters",
                        )
                    )
                elif value in id_rows:
                    problems.append(
                        RowProblem(
                            row_number,
                            name,
                            value,
                            f"each response ID once: this one is already at row {id_rows[value]}",
                        )
                    )
                elif value:
                    id_rows[value] = row_number
                    source_id = value
                continue
            if not value:
                continue
            question = by_key[target]
            if question.kind == "likert":
                coded = likert_value(value)
                if coded is None:
                    problems.append(RowProblem(row_number, name, value, LIKERT_EXPECTED))
                    continue
                answers[question.key] = coded
            elif question.kind == "single_choice":
                match = next(
                    (c for c in question.choices if normalise(c) == normalise(value)), None
                )
                if match is None:
                    problems.append(
                        RowProblem(
                            row_number,
                            name,
                            value,
                            "one of: " + ", ".join(question.choices) + " (or blank)",
                        )
                    )
                    continue
                answers[question.key] = match
                if question.purpose == "agency":
                    agency = match
                elif question.purpose == "role":
                    role = match
            else:
                if len(value) > MAX_TEXT:
                    problems.append(
                        RowProblem(row_number, name, value, f"at most {MAX_TEXT} characters")
                    )
                    continue
                answers[question.key] = value
        if problems:
            result.problems.extend(problems)
        elif submitted is not None:
            result.responses.append(
                ParsedResponse(
                    row_number, submitted, answers, agency=agency, role=role, source_id=source_id
                )
            )
    return result
