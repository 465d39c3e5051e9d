"""Sources: text, documents and tables of comments become segments that can be coded."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scrutiny.qualitative import services, texts
from scrutiny.qualitative.models import PendingImport, Segment, Source
from scrutiny.qualitative.services import QualitativeError
from tests.conftest import Cast
from tests.qualitative.helpers import small_project

pytestmark = pytest.mark.django_db


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(text: str | None) -> bytes:
    if text is None:  # a page with no text layer, as a scan would be
        from pypdf import PdfWriter

        writer = PdfWriter()
        writer.add_blank_page(width=200, height=200)
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()
    from weasyprint import HTML

    return HTML(string=f"<p>{text}</p>").write_pdf()


def test_it_splits_notes_into_paragraphs_with_offsets_into_the_text(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    segments = list(small.notes.segments.order_by("position"))
    assert [s.text for s in segments] == [
        "Young people said staff changed too often.",
        "They valued having one trusted adult.",
    ]
    for segment in segments:
        assert small.notes.text[segment.start : segment.end] == segment.text
        assert segment.respondent_type == "child"
        assert segment.date == date(2025, 3, 20)


def test_it_reads_word_documents_and_pdfs_with_a_text_layer(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    from_word = services.source_add_file(
        project=small.project,
        kind=Source.Kind.DOCUMENT,
        title="",
        name="notes.docx",
        data=_docx(["First point from the meeting.", "Second point."]),
        by=cast.lead_a,
    )
    assert from_word.title == "notes.docx"
    assert from_word.segments.count() == 2
    from_pdf = services.source_add_file(
        project=small.project,
        kind=Source.Kind.DOCUMENT,
        title="Report",
        name="report.pdf",
        data=_pdf("Families valued the outreach team."),
        by=cast.lead_a,
    )
    assert "Families valued the outreach team." in from_pdf.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not text"),
        ("scan.pdf", None, "no text layer"),
        ("fake.pdf", b"this is not a pdf", "not a PDF"),
        ("fake.docx", b"PK not really a docx", "not a Word document"),
        ("slides.pptx", b"anything", "cannot read"),
    ],
)
def test_it_refuses_files_it_cannot_read_with_a_clear_message(
    cast: Cast, name: str, data: bytes | None, message: str
) -> None:
    small = small_project(cast.lead_a)
    before = Source.objects.count()
    payload = _pdf(None) if data is None else data
    with pytest.raises(QualitativeError, match=message):
        services.source_add_file(
            project=small.project,
            kind=Source.Kind.DOCUMENT,
            title="x",
            name=name,
            data=payload,
            by=cast.lead_a,
        )
    assert Source.objects.count() == before


def test_the_add_page_shows_why_a_file_was_refused(cast: Cast, as_user: Any) -> None:
    small = small_project(cast.lead_a)
    response = as_user(cast.lead_a).post(
        reverse("qualitative:source-add", args=[small.project.pk]),
        {
            "kind": "document",
            "title": "Scan",
            "respondent_type": "unknown",
            "upload": SimpleUploadedFile("scan.pdf", _pdf(None), "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "no text layer" in response.content.decode()


def test_the_add_page_asks_for_a_file_or_pasted_text_not_both(cast: Cast, as_user: Any) -> None:
    small = small_project(cast.lead_a)
    before = Source.objects.count()
    url = reverse("qualitative:source-add", args=[small.project.pk])
    both = as_user(cast.lead_a).post(
        url,
        {
            "kind": "document",
            "respondent_type": "unknown",
            "upload": SimpleUploadedFile("notes.txt", b"From the file.", "text/plain"),
            "text": "Pasted words that would be lost.",
        },
    )
    assert "Give a file or pasted text, not both" in both.content.decode()
    untitled = as_user(cast.lead_a).post(
        url, {"kind": "document", "respondent_type": "unknown", "text": "Pasted notes."}
    )
    assert "Give pasted text a title." in untitled.content.decode()
    assert Source.objects.count() == before


CSV = (
    "Response ID,Who,Service,Your comment,Date\n"
    "1,Foster carer,,We were not invited to the review.,31/03/2025\n"
    "2,Staff,NHS Ayrshire,Caseloads are too high.,2025-04-02\n"
    "3,Young person,,,2025-04-03\n"
    "4,Neighbour,,We feel forgotten.,2025-04-05\n"
)


def test_it_imports_comments_from_a_csv_with_the_columns_a_person_chose(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    pending = services.comments_upload(
        project=small.project, name="carers.csv", data=CSV.encode(), by=cast.lead_a
    )
    assert pending.headers == ["Response ID", "Who", "Service", "Your comment", "Date"]
    result = services.comments_import(
        pending=pending,
        mapping=services.ColumnMapping(
            text="Your comment",
            respondent_type="Who",
            agency="Service",
            date="Date",
            reference="Response ID",
        ),
        title="Carers' survey",
        by=cast.lead_a,
    )
    assert result.comments == 3
    assert result.blank_rows == 1
    assert "Neighbour" in " ".join(result.notes)
    segments = list(result.source.segments.order_by("position"))
    assert [(s.respondent_type, s.agency, s.date, s.external_ref) for s in segments] == [
        ("carer", "", date(2025, 3, 31), "1"),
        ("staff", "health", date(2025, 4, 2), "2"),
        ("other", "", date(2025, 4, 5), "4"),
    ]
    for segment in segments:
        assert result.source.text[segment.start : segment.end] == segment.text
    assert not PendingImport.objects.exists()


def test_it_refuses_a_whole_import_when_some_dates_cannot_be_read(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    bad = CSV.replace("2025-04-02", "the second of April")
    pending = services.comments_upload(
        project=small.project, name="c.csv", data=bad.encode(), by=cast.lead_a
    )
    before = Segment.objects.count()
    with pytest.raises(QualitativeError, match=r"\(row 3\)"):
        services.comments_import(
            pending=pending,
            mapping=services.ColumnMapping(text="Your comment", date="Date"),
            title="Carers",
            by=cast.lead_a,
        )
    assert Segment.objects.count() == before


def test_it_imports_comments_from_excel(cast: Cast) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["comment", "submitted"])
    sheet.append(["The youth club is brilliant.", date(2025, 6, 1)])
    sheet.append(["Nothing to do at night.", date(2025, 6, 2)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    small = small_project(cast.lead_a)
    pending = services.comments_upload(
        project=small.project, name="young.xlsx", data=buffer.getvalue(), by=cast.lead_a
    )
    result = services.comments_import(
        pending=pending,
        mapping=services.ColumnMapping(text="comment", date="submitted"),
        title="Young people",
        defaults=services.Attributes(respondent_type="child"),
        by=cast.lead_a,
    )
    assert [s.date for s in result.source.segments.order_by("position")] == [
        date(2025, 6, 1),
        date(2025, 6, 2),
    ]


def test_a_person_uploads_a_table_then_maps_its_columns(cast: Cast, as_user: Any) -> None:
    small = small_project(cast.lead_a)
    client = as_user(cast.lead_a)
    response = client.post(
        reverse("qualitative:comments-import", args=[small.project.pk]),
        {"upload": SimpleUploadedFile("carers.csv", CSV.encode(), "text/csv")},
    )
    assert response.status_code == 302
    mapping_page = client.get(response["Location"])
    assert mapping_page.context["form"].initial["text_column"] == "Your comment"
    response = client.post(
        response["Location"],
        {
            "title": "Carers",
            "kind": "comments",
            "text_column": "Your comment",
            "respondent_column": "Who",
            "date_column": "Date",
            "respondent_type": "unknown",
        },
    )
    assert response.status_code == 302
    source = Source.objects.get(title="Carers")
    assert source.segments.count() == 3


def test_it_refuses_a_table_without_rows(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    with pytest.raises(QualitativeError, match="no rows"):
        services.comments_upload(
            project=small.project, name="empty.csv", data=b"comment\n", by=cast.lead_a
        )


def test_sentences_are_found_inside_a_comment() -> None:
    text = "First one. Second one! Third?"
    spans = texts.sentences(text, 0, len(text))
    assert [text[s.start : s.end] for s in spans] == ["First one.", "Second one!", "Third?"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            CSV.replace("We feel forgotten.", '"We feel forgotten.'),
            texts.CSV_UNCLOSED_QUOTE.format(name="carers.csv", row=5, line=5),
        ),
        (
            CSV.replace("We were not invited", '"We were not invited'),
            texts.CSV_UNCLOSED_QUOTE.format(name="carers.csv", row=2, line=2),
        ),
        (
            CSV.replace("We were not invited", '"We were ""not"" invited')
            .replace("review.,", 'review.",')
            .replace("Caseloads are too high.", '"Caseloads" are too high.'),
            texts.CSV_MALFORMED.format(
                name="carers.csv", row=3, line=3, error="',' expected after '\"'"
            ),
        ),
    ],
)
def test_it_refuses_a_csv_with_a_quote_left_open(
    cast: Cast, as_user: Any, data: str, expected: str
) -> None:
    small = small_project(cast.lead_a)
    response = as_user(cast.lead_a).post(
        reverse("qualitative:comments-import", args=[small.project.pk]),
        {"upload": SimpleUploadedFile("carers.csv", data.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["upload"] == [expected]
    assert not PendingImport.objects.exists()


def test_a_quoted_cell_may_run_over_several_lines(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    data = 'comment,who\n"Two\nlines",parent\n"He said ""no""",carer\n'
    pending = services.comments_upload(
        project=small.project, name="c.csv", data=data.encode(), by=cast.lead_a
    )
    assert pending.preview == [["Two\nlines", "parent"], ['He said "no"', "carer"]]


def test_counts_in_messages_agree_with_their_number() -> None:
    from scrutiny.qualitative.views import _counted

    assert _counted(1, "comment") == "1 comment"
    assert _counted(0, "row") == "0 rows"
    assert _counted(1200, "paragraph") == "1,200 paragraphs"
