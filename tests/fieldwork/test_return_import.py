"""Importing the pre-inspection return: every problem at once, identifiers refused, nothing
half-saved."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from scrutiny.accounts.models import AccessLogEntry
from scrutiny.fieldwork import returns, services
from scrutiny.fieldwork.loader import DATA
from scrutiny.fieldwork.models import PreInspectionReturn, ReturnChild
from tests.fieldwork.helpers import AS_AT, HEADER, return_csv

pytestmark = pytest.mark.django_db


def _workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_it_imports_a_clean_csv_return(cast: Any, inspection_a: Any) -> None:
    stored = services.return_import(
        inspection=inspection_a, name="r.csv", data=return_csv(30), as_at=AS_AT, by=cast.lead_a
    )
    assert stored.children_count == 30
    assert ReturnChild.objects.filter(pi_return=stored, list_kind="looked_after").count() == 10
    child = ReturnChild.objects.get(pi_return=stored, child_id="C0001")
    assert child.birth_month == date(2011, 2, 1)
    assert child.age_band == "12-15"


def test_it_reports_every_problem_with_sheet_row_column_value_and_expectation() -> None:
    """
    Given a workbook whose list sheets have several bad values
    When it is checked
    Then each problem names the sheet, the row as Excel shows it, the column, the value and
    what was expected, and no row is taken
    """
    data = _workbook(
        {
            "Read me": [["notes are ignored"]],
            "Child protection register": [
                list(returns.COLUMNS),
                ["CP1", "2015-03", "", "female", "North", "2025-05-01", "", ""],
                ["CP2", "2015-13", "", "female", "North", "2025-05-01", "", ""],
            ],
            "Looked after": [
                list(returns.COLUMNS),
                ["LA1", "2012-04", "", "male", "South", "31/02/2025", "castle", ""],
            ],
        }
    )
    check = returns.check_upload(name="return.xlsx", data=data, as_at=AS_AT)
    found = {(p.sheet, p.row, p.column, p.value) for p in check.problems}
    assert ("Child protection register", 3, "birth_month", "2015-13") in found
    assert ("Looked after", 2, "start_date", "31/02/2025") in found
    assert ("Looked after", 2, "placement_type", "castle") in found
    assert all(p.expected for p in check.problems)
    assert "sheet 'Looked after', row 2, column 'placement_type': 'castle' — expected one of" in (
        "\n".join(str(p) for p in check.problems)
    )
    assert not check.ok


def test_it_refuses_files_with_direct_identifiers_without_repeating_them(
    cast: Any, inspection_a: Any
) -> None:
    data = b"list,child_id,Forename,Surname,Postcode,start_date,age_band\n" + (
        b"cp_register,C1,Ailsa,Smith,KA7 1DR,2025-01-01,5-11\n"
    )
    with pytest.raises(services.ReturnRejected) as caught:
        services.return_import(
            inspection=inspection_a, name="r.csv", data=data, as_at=AS_AT, by=cast.lead_a
        )
    message = caught.value.message
    assert "'Forename'" in message and "'Surname'" in message and "'Postcode'" in message
    assert "direct identifiers" in message and "nothing from this file has been kept" in message
    assert "Ailsa" not in message and "KA7" not in message
    assert not PreInspectionReturn.objects.exists()


@pytest.mark.parametrize("header", ["CHI", "Scottish Candidate Number", "Date of birth", "Address"])
def test_it_refuses_each_kind_of_identifier_column(header: str) -> None:
    data = f"list,child_id,age_band,start_date,{header}\n".encode()
    check = returns.check_upload(name="r.csv", data=data, as_at=AS_AT)
    assert check.identifier_columns == [f"'{header}'"]


def test_it_refuses_a_full_date_of_birth_and_a_chi_like_id_without_showing_them() -> None:
    data = (
        f"{HEADER}\ncp_register,1234567890,2015-03,,female,,2025-01-01,,\n"
        "cp_register,C2,2015-03-14,,female,,2025-01-01,,\n"
    ).encode()
    check = returns.check_upload(name="r.csv", data=data, as_at=AS_AT)
    text = "\n".join(str(p) for p in check.problems)
    assert "looks like a CHI number" in text and "1234567890" not in text
    assert "full date of birth" in text and "2015-03-14" not in text


def test_it_reports_duplicate_child_ids_within_a_list_but_not_across_lists() -> None:
    data = (
        f"{HEADER}\ncp_register,C1,2015-03,,female,,2025-01-01,,\n"
        "looked_after,C1,2015-03,,female,,2025-01-01,foster,\n"
        "cp_register,C1,2015-03,,female,,2025-02-01,,\n"
    ).encode()
    check = returns.check_upload(name="r.csv", data=data, as_at=AS_AT)
    assert [(p.row, p.column) for p in check.problems] == [(4, "child_id")]
    assert "already at row 2" in str(check.problems[0])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_it_accepts_utf8_with_or_without_bom_and_windows_1252(encoding: str) -> None:
    data = f"{HEADER}\ncp_register,C1,2015-03,,female,Troon \u2013 Prestwick,2025-01-01,,\n"
    check = returns.check_upload(name="r.csv", data=data.encode(encoding), as_at=AS_AT)
    assert check.ok, check.problems
    assert check.rows[0].team == "Troon \u2013 Prestwick"


def test_it_accepts_excel_dates_as_cells_and_as_serial_numbers() -> None:
    data = _workbook(
        {
            "Looked after": [
                list(returns.COLUMNS),
                [
                    "LA1",
                    datetime(2012, 4, 1),
                    "",
                    "male",
                    "",
                    datetime(2024, 3, 5),
                    "foster",
                    45400,
                ],
            ]
        }
    )
    check = returns.check_upload(name="return.xlsx", data=data, as_at=AS_AT)
    assert check.ok, [str(p) for p in check.problems]
    row = check.rows[0]
    assert (row.birth_month, row.start_date) == (date(2012, 4, 1), date(2024, 3, 5))
    assert row.placement_start == date(2024, 4, 18)


def test_the_shipped_templates_are_read_as_empty_returns() -> None:
    for name in ("pre-inspection-return-template.csv", "pre-inspection-return-template.xlsx"):
        check = returns.check_upload(name=name, data=(DATA / name).read_bytes(), as_at=AS_AT)
        assert (check.rows, check.problems, check.identifier_columns) == ([], [], [])
    example = DATA / "example-pre-inspection-return-synthetic.csv"
    check = returns.check_upload(name="x.csv", data=example.read_bytes(), as_at=date(2026, 6, 30))
    assert check.ok


def test_the_import_page_lists_problems_and_keeps_nothing(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    bad = io.BytesIO(return_csv(5) + b"cp_register,,2015-03,,female,,2025-01-01,,\n")
    bad.name = "return.csv"
    response = as_user(cast.lead_a).post(
        reverse("fieldwork:return", args=[inspection_a.pk]), {"file": bad, "as_at": "2026-01-31"}
    )
    assert response.status_code == 200
    assert b"problem to fix" in response.content
    assert b"row 7, column &#x27;child_id&#x27;" in response.content
    assert not PreInspectionReturn.objects.exists()


def test_a_partnership_contributor_imports_and_the_team_sees_the_children(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    upload = io.BytesIO(return_csv(12))
    upload.name = "return.csv"
    response = as_user(cast.lead_a).post(
        reverse("fieldwork:return", args=[inspection_a.pk]), {"file": upload, "as_at": "2026-01-31"}
    )
    assert response.status_code == 302
    page = as_user(cast.inspector_a).get(
        reverse("fieldwork:return-children", args=[inspection_a.pk])
    )
    assert b"C0011" in page.content
    assert AccessLogEntry.objects.filter(user=cast.inspector_a).exists()


def test_the_template_files_download(cast: Any, as_user: Any) -> None:
    response = as_user(cast.lead_a).get(reverse("fieldwork:return-template", args=["csv"]))
    assert b"".join(response.streaming_content).startswith(b"list,child_id,birth_month")


# --- properties ------------------------------------------------------------------------------

rows = st.lists(
    st.tuples(
        st.sampled_from(returns.LIST_CODES),
        st.integers(min_value=0, max_value=10**6),
        st.dates(min_value=date(2001, 1, 1), max_value=date(2025, 12, 1)),
        st.sampled_from(("female", "male", "")),
        st.dates(min_value=date(2010, 1, 1), max_value=AS_AT),
        st.sampled_from(returns.PLACEMENT_TYPES),
    ),
    min_size=1,
    max_size=25,
    unique_by=lambda r: (r[0], r[1]),
)


def _csv(data: list[tuple[Any, ...]]) -> bytes:
    lines = [HEADER]
    for kind, number, born, sex, start, placement in data:
        placement = placement if kind == "looked_after" else ""
        lines.append(f"{kind},P{number},{born:%Y-%m},,{sex},,{start.isoformat()},{placement},")
    return ("\n".join(lines) + "\n").encode()


@settings(max_examples=60, deadline=None)
@given(data=rows)
def test_property_every_valid_row_is_read_back_exactly(data: list[tuple[Any, ...]]) -> None:
    check = returns.check_csv(data=_csv(data), file="r.csv", as_at=AS_AT)
    assert check.ok, [str(p) for p in check.problems]
    assert [(r.list_kind, r.child_id, r.start_date) for r in check.rows] == [
        (kind, f"P{number}", start) for kind, number, _, _, start, _ in data
    ]
    for row, (_, _, born, _, _, _) in zip(check.rows, data, strict=True):
        assert row.birth_month == born.replace(day=1)
        assert row.age_band == returns.age_band_for(born.replace(day=1), AS_AT)


@settings(max_examples=60, deadline=None)
@given(
    data=rows,
    victim=st.integers(min_value=0, max_value=24),
    column=st.sampled_from(["birth_month", "start_date", "sex"]),
    junk=st.sampled_from(["??", "2020-13", "yesterday", "31/31/2020"]),
)
def test_property_one_bad_value_is_reported_at_its_row_and_column(
    data: list[tuple[Any, ...]], victim: int, column: str, junk: str
) -> None:
    victim %= len(data)
    lines = _csv(data).decode().splitlines()
    names = HEADER.split(",")
    cells = lines[victim + 1].split(",")
    cells[names.index(column)] = junk
    lines[victim + 1] = ",".join(cells)
    check = returns.check_csv(data=("\n".join(lines) + "\n").encode(), file="r.csv", as_at=AS_AT)
    assert not check.ok
    assert {(p.row, p.column, p.value) for p in check.problems} == {(victim + 2, column, junk)}
    assert len(check.rows) == len(data) - 1


def test_a_child_on_two_lists_is_one_child_in_two_entries(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    data = (
        f"{HEADER}\ncp_register,C1,2015-03,,female,,2025-01-01,,\n"
        "looked_after,C1,2015-03,,female,,2025-01-01,foster,\n"
        "looked_after,C2,2014-03,,male,,2025-01-01,foster,\n"
    ).encode()
    services.return_import(
        inspection=inspection_a, name="r.csv", data=data, as_at=AS_AT, by=cast.lead_a
    )
    client = as_user(cast.inspector_a)
    overview = client.get(reverse("fieldwork:overview", args=[inspection_a.pk])).content.decode()
    assert "The current return lists 2 children in 3 entries" in overview
    page = client.get(reverse("fieldwork:return", args=[inspection_a.pk])).content.decode()
    assert "2 children on the lists, in 3 entries" in page
    home = client.get(reverse("frontend:partnership", args=["south-ayrshire"]))
    assert "return of 2 children" in home.content.decode()


def test_problems_quoting_a_rejected_returns_values_are_logged(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a return with a bad birth month
    When the import page lists its problems, quoting the child's values
    Then the view is in the child-level access log
    """
    bad = io.BytesIO(return_csv(5) + b"cp_register,CP9,2015-13,,female,,2025-01-01,,\n")
    bad.name = "return.csv"
    url = reverse("fieldwork:return", args=[inspection_a.pk])
    response = as_user(cast.lead_a).post(url, {"file": bad, "as_at": "2026-01-31"})
    assert b"&#x27;2015-13&#x27;" in response.content
    entry = AccessLogEntry.objects.get(user=cast.lead_a)
    assert entry.what.startswith("Problems quoting a rejected pre-inspection return")
    assert entry.partnership_id == inspection_a.partnership_id


def test_it_cuts_a_very_long_value_in_a_problem_message(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a return whose child_id is 5,000 characters long
    When it is imported
    Then the problem quotes its first 40 characters and "…", not the whole value
    """
    long_id = "D" * 5000
    bad = io.BytesIO(f"{HEADER}\ncp_register,{long_id},2015-03,,female,,2025-01-01,,\n".encode())
    bad.name = "return.csv"
    response = as_user(cast.lead_a).post(
        reverse("fieldwork:return", args=[inspection_a.pk]), {"file": bad, "as_at": "2026-01-31"}
    )
    page = response.content.decode()
    assert f"column &#x27;child_id&#x27;: &#x27;{'D' * 40}…&#x27; — expected" in page
    assert "D" * 41 not in page


def test_it_reads_a_return_separated_by_semicolons() -> None:
    """Excel saves "CSV" with semicolons where the decimal mark is a comma."""
    data = return_csv(6).replace(b",", b";")
    check = returns.check_upload(name="r.csv", data=data, as_at=AS_AT)
    assert check.ok, [str(p) for p in check.problems]
    assert len(check.rows) == 6 and check.rows[0].child_id == "C0000"


def test_it_says_a_binary_file_is_not_a_csv_or_excel_file() -> None:
    """
    Given a PDF or an image named .csv, and a broken workbook
    When it is checked
    Then the problem says the file is not a CSV or Excel file, naming no row
    """
    for name, data in (
        ("return.csv", b"%PDF-1.7\n\x00\x01\x02binary"),
        ("return.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("return.xlsx", b"PK\x03\x04 not really a workbook"),
    ):
        check = returns.check_upload(name=name, data=data, as_at=AS_AT)
        [problem] = [str(p) for p in check.problems]
        assert problem.startswith(f"{name}: this is not a")
        assert "expected a CSV file (text, UTF-8 or Windows-1252) or an Excel workbook" in problem
        assert "row 0" not in problem


def test_a_comma_file_with_semicolons_in_its_text_stays_a_comma_file() -> None:
    from scrutiny.tabular import csv_rows, delimiter

    text = (
        "id,comment\n"
        '1,"Staff were kind; ""brilliant""; would recommend"\n'
        "2,My worker is great; 'the best'; thanks\n"
    )
    assert delimiter(text) == ","
    assert [row for _, row in csv_rows(text)][2] == ["2", "My worker is great; 'the best'; thanks"]
    assert delimiter("id;comment\n1;Fine, thanks\n") == ";"
    assert delimiter("id\tcomment\n1\tFine\n") == "\t"
    assert delimiter("comment\nJust one column\n") == ","


def test_the_import_message_counts_children_and_entries_apart(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a return listing one child on two lists
    When it is imported through the page
    Then the message says 1 child in 2 entries
    """
    data = io.BytesIO(
        f"{HEADER}\ncp_register,C1,2015-03,,female,,2025-01-01,,\n"
        "looked_after,C1,2015-03,,female,,2025-01-01,foster,\n".encode()
    )
    data.name = "return.csv"
    response = as_user(cast.lead_a).post(
        reverse("fieldwork:return", args=[inspection_a.pk]),
        {"file": data, "as_at": "2026-02-01"},
        follow=True,
    )
    shown = " ".join(str(m) for m in response.context["messages"])
    # Dates are written as everywhere else in the app: no leading zero.
    assert "Return imported: 1 child on the lists, in 2 entries, as at 1 February 2026." in shown
