"""REFI-QDA exchange: .qdpx projects and .qdc codebooks, validated against the standard's
schemas; imports are all or nothing."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from lxml import etree

from scrutiny.qualitative import exchange, selectors, services
from scrutiny.qualitative.models import Code, Coding, Project, Source
from scrutiny.qualitative.services import QualitativeError
from tests import factories
from tests.conftest import Cast
from tests.qualitative.helpers import Small, small_project

pytestmark = pytest.mark.django_db


def _coded(cast: Cast) -> Small:
    small = small_project(cast.lead_a)
    segments = list(small.comments.segments.order_by("position"))
    services.codings_add_whole(segments=segments[:2], code=small.trust, by=cast.lead_a)
    start = small.comments.text.index("six months")
    services.coding_add(
        source=small.comments,
        code=small.waiting,
        start=start,
        end=start + 10,
        by=cast.lead_a,
        memo="Typical wait.",
    )
    parent = services.code_add(project=small.project, name="Experiences", memo="Parent memo")
    small.trust.parent = parent
    small.trust.save()
    services.coding_add(source=small.notes, code=small.workload, start=0, end=12, by=cast.lead_a)
    return small


def _project_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_the_export_is_valid_against_the_refi_qda_project_schema(cast: Cast) -> None:
    small = _coded(cast)
    data = exchange.export_project(small.project, blind=selectors.Blind())
    root = _project_xml(data)
    schema = etree.XMLSchema(etree.parse(str(exchange.SCHEMAS / "Project-mrt2019.xsd")))
    assert schema.validate(root), schema.error_log
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert f"Sources/{small.comments.guid}.txt" in names
        assert archive.read(f"Sources/{small.comments.guid}.txt").decode() == small.comments.text
    ns = {"q": exchange.PROJECT_NS}
    selections = root.findall(".//q:TextSource/q:PlainTextSelection", ns)
    start = small.comments.text.index("six months")
    assert any(
        s.get("startPosition") == str(start) and s.get("endPosition") == str(start + 10)
        for s in selections
    )


def test_a_project_survives_a_round_trip(cast: Cast) -> None:
    small = _coded(cast)
    data = exchange.export_project(small.project, blind=selectors.Blind())
    summary = exchange.import_project(
        partnership=small.project.partnership, name="p.qdpx", data=data, by=cast.lead_a
    )
    copy = summary.project
    assert (
        summary.codings
        == Coding.objects.filter(source__project=small.project, check_run__isnull=True).count()
    )

    def codings(project: Project) -> set[tuple[str, str, int, int, str]]:
        return {
            (c.source.title, c.code.name, c.start, c.end, c.memo)
            for c in Coding.objects.filter(source__project=project).select_related("source", "code")
        }

    assert codings(copy) == codings(small.project)
    trust = Code.objects.get(project=copy, name="Trusted relationships")
    assert trust.parent is not None and trust.parent.name == "Experiences"
    assert trust.parent.memo == "Parent memo"
    comments = Source.objects.get(project=copy, title="Survey comments")
    assert comments.is_comments
    staff = comments.segments.get(position=3)
    assert (staff.respondent_type, staff.agency, staff.role) == (
        "staff",
        "social_work",
        "Social worker",
    )
    assert staff.date is not None


def _archive(project_xml: str, files: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("project.qde", project_xml)
        for name, text in (files or {}).items():
            archive.writestr(name, text)
    return buffer.getvalue()


GUID = "{:08x}-0000-4000-8000-000000000000"
VALID = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From another tool">
  <CodeBook><Codes>
    <Code guid="{GUID.format(1)}" name="Hope" isCodable="true" color="#FF0000"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{GUID.format(2)}" name="Interview"
        plainTextPath="internal://{GUID.format(2)}.txt">
      <PlainTextSelection guid="{GUID.format(3)}" startPosition="0" endPosition="{{end}}">
        <Coding guid="{GUID.format(4)}"><CodeRef targetGUID="{GUID.format(1)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
</Project>"""


def test_it_imports_a_project_made_by_another_tool(cast: Cast) -> None:
    data = _archive(VALID.format(end=4), {f"Sources/{GUID.format(2)}.txt": "Hope is here.\nMore."})
    summary = exchange.import_project(
        partnership=factories.partnership(), name="other.qdpx", data=data, by=cast.lead_a
    )
    coding = Coding.objects.get(source__project=summary.project)
    assert (coding.text, coding.code.name, coding.code.colour) == ("Hope", "Hope", "#ff0000")
    assert summary.project.sources.get().segments.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"not a zip at all", "zip archive"),
        (_archive("<Project/>"), "does not follow the REFI-QDA project schema"),
        (_archive("<Project"), "not well-formed"),
        (_archive(VALID.format(end=4)), "not in the archive"),
        (
            _archive(VALID.format(end=400), {f"Sources/{GUID.format(2)}.txt": "Hope."}),
            "has only 5 characters",
        ),
        (
            _archive(VALID.format(end=4).replace("internal://", "file:///C:/")),
            "outside the archive",
        ),
    ],
)
def test_it_refuses_a_bad_project_and_saves_nothing(cast: Cast, data: bytes, message: str) -> None:
    projects = Project.objects.count()
    with pytest.raises(QualitativeError, match=message):
        exchange.import_project(
            partnership=factories.partnership(), name="bad.qdpx", data=data, by=cast.lead_a
        )
    assert Project.objects.count() == projects
    assert not Code.objects.filter(name="Hope").exists()


def test_the_import_page_shows_why_a_file_was_refused(cast: Cast, as_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = as_user(cast.lead_a).post(
        reverse("qualitative:project-import", args=["south-ayrshire"]),
        {"upload": SimpleUploadedFile("bad.qdpx", b"nonsense")},
    )
    assert response.status_code == 200
    assert "zip archive" in response.content.decode()


def test_a_codebook_goes_out_and_comes_back_as_qdc(cast: Cast) -> None:
    small = _coded(cast)
    data = exchange.export_codebook(small.project)
    schema = etree.XMLSchema(etree.parse(str(exchange.SCHEMAS / "Codebook-mrt2019.xsd")))
    assert schema.validate(etree.fromstring(data)), schema.error_log
    other = services.project_create(
        partnership=small.project.partnership, title="Other", by=cast.lead_a
    )
    services.code_add(project=other, name="Workload")
    summary = exchange.import_codebook(project=other, name="c.qdc", data=data)
    assert (summary.added, summary.kept) == (3, 1)
    trust = Code.objects.get(project=other, name="Trusted relationships")
    assert trust.parent is not None and trust.parent.name == "Experiences"


def test_it_refuses_a_codebook_that_fails_the_schema(cast: Cast) -> None:
    small = small_project(cast.lead_a)
    bad = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code name="x"/></Codes></CodeBook>'
    with pytest.raises(QualitativeError, match="codebook schema"):
        exchange.import_codebook(project=small.project, name="bad.qdc", data=bad)


TWO_CODES = VALID.replace(
    "  </Codes></CodeBook>",
    f'    <Code guid="{GUID.format(1).upper()}" name="Despair" isCodable="true"/>\n'
    "  </Codes></CodeBook>",
)
TWO_SOURCES = VALID.replace(
    "  </Sources>",
    f'    <TextSource guid="{GUID.format(2)}" name="Second"><PlainTextContent>Hi.'
    "</PlainTextContent></TextSource>\n  </Sources>",
)
TWO_SELECTIONS = VALID.replace(
    "    </TextSource>",
    f'      <PlainTextSelection guid="{GUID.format(3)}" startPosition="5" endPosition="7"/>\n'
    "    </TextSource>",
)


@pytest.mark.parametrize(
    ("xml", "what"),
    [(TWO_CODES, "code"), (TWO_SOURCES, "source"), (TWO_SELECTIONS, "selection")],
)
def test_it_refuses_a_project_that_repeats_a_guid(cast: Cast, xml: str, what: str) -> None:
    data = _archive(xml.format(end=4), {f"Sources/{GUID.format(2)}.txt": "Hope is here.\nMore."})
    projects = Project.objects.count()
    repeated = GUID.format(1 if what == "code" else 2 if what == "source" else 3)
    with pytest.raises(QualitativeError) as refused:
        exchange.import_project(
            partnership=factories.partnership(), name="twice.qdpx", data=data, by=cast.lead_a
        )
    assert str(refused.value) == exchange.REPEATED_GUID.format(
        name="twice.qdpx", what=what, one=what, guids=repeated
    )
    assert Project.objects.count() == projects


def test_the_codebook_import_page_refuses_a_repeated_guid(cast: Cast, as_user: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    small = small_project(cast.lead_a)
    guid = GUID.format(9)
    qdc = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{guid}" name="Hope" isCodable="true"/>'
        f'<Code guid="{{{guid}}}" name="Fear" isCodable="true"/>'
        "</Codes></CodeBook>"
    )
    codes = small.project.codes.count()
    response = as_user(cast.lead_a).post(
        reverse("qualitative:codebook-import", args=[small.project.pk]),
        {"upload": SimpleUploadedFile("shared.qdc", qdc.encode())},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "&#x27;shared.qdc&#x27; gives the same GUID to more than one code" in body
    assert guid in body
    assert small.project.codes.count() == codes


def test_the_export_link_downloads_a_qdpx(cast: Cast, as_user: Any) -> None:
    small = _coded(cast)
    response = as_user(cast.link_a).get(
        reverse("qualitative:project-export", args=[small.project.pk])
    )
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.qdpx"')
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None
