from __future__ import annotations

import io
import re
from datetime import date

import pikepdf
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from scrutiny.accounts.models import Role
from scrutiny.inspections import services
from scrutiny.inspections.models import QASignOff, Status
from scrutiny.publishing.charts import LABEL_CHARACTERS, GradeBar, grades_chart_svg
from scrutiny.publishing.report import render_body
from scrutiny.publishing.services import PublishingError, inspection_publish, report_correct
from tests import factories
from tests.inspections import helpers

pytestmark = pytest.mark.django_db


def _published(context: str = "A coastal council area."):
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_update(inspection=inspection, context=context)
    services.inspection_advance(inspection=inspection, by=lead)
    qa = factories.user(Role.QUALITY_ASSURANCE)
    services.qa_signoff_record(
        inspection=inspection, by=qa, decision=QASignOff.Decision.SIGNED_OFF, comments=""
    )
    services.inspection_advance(inspection=inspection, by=lead)
    version = inspection_publish(inspection=inspection, by=lead)
    return inspection, version, lead


def _titles(items) -> list[str]:
    found = []
    for item in items:
        found.append(item.title)
        found.extend(_titles(item.children))
    return found


def test_the_pdf_is_tagged_with_bookmarks_page_numbers_and_extractable_text() -> None:
    inspection, version, _ = _published()
    data = bytes(version.pdf)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang) == "en-GB"
        with pdf.open_outline() as outline:
            titles = _titles(outline.root)
        assert titles[0] == inspection.title
        assert {"1. Introduction", "Appendix 1: Evaluated indicators of quality"} <= set(titles)
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "A coastal council area." in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Areas for improvement" in text
    assert "DRAFT" not in text and "(draft)" not in text
    assert reader.metadata is not None and reader.metadata.title == inspection.title


def test_the_good_practice_appendix_appears_only_with_examples_and_the_others_number_on() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    html = render_body(inspection, draft=True)
    assert "Good practice examples" not in html
    assert "Appendix 1: Evaluated indicators of quality" in html
    assert "Appendix 3: The quality indicator framework" in html
    assert "six-point scale described in appendix 2." in html
    services.good_practice_add(
        inspection=inspection, title="Family group decision making", text="Families lead."
    )
    html = render_body(inspection, draft=True)
    assert "Appendix 1: Good practice examples" in html
    assert "Family group decision making" in html
    assert "Appendix 2: Evaluated indicators of quality" in html
    assert "Appendix 4: The quality indicator framework" in html
    assert "six-point scale described in appendix 3." in html


def test_the_chart_has_alternative_text_and_a_table_with_the_same_figures() -> None:
    inspection, version, _ = _published()
    html = version.html
    assert 'alt="Grades on the six-point scale.' in html
    for qi in inspection.evaluated_qis():
        assert f"{qi.title}: 4 (Good)" in html
    assert "<caption>Evaluated indicators of quality</caption>" in html


def test_long_qi_titles_are_wrapped_to_fit_the_grades_chart_not_cut() -> None:
    title = "Improvements in the wellbeing of children and young people"
    svg = grades_chart_svg([GradeBar(title, 4, "Good")], title="Grades")
    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert " ".join(lines) == title
    assert all(len(line) <= LABEL_CHARACTERS for line in lines)
    very_long = " ".join(["word"] * 40)
    lines = re.findall(
        r"<tspan [^>]*>([^<]*)</tspan>",
        grades_chart_svg([GradeBar(very_long, 4, "Good")], title="Grades"),
    )
    assert len(lines) == 2 and lines[1].endswith("…")


def test_long_area_titles_are_wrapped_in_the_progress_chart_too() -> None:
    from scrutiny.publishing.progress_chart import ProgressBar, progress_chart_svg

    title = "Early intervention for children and families affected by poverty and deprivation"
    svg = progress_chart_svg(
        [ProgressBar(title, 3, "Good progress")], levels=["a", "b", "c", "d"], title="Progress"
    )
    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert " ".join(lines) == title
    assert all(len(line) <= LABEL_CHARACTERS for line in lines)


def test_no_gridline_runs_through_a_progress_judgement() -> None:
    from scrutiny.publishing.progress_chart import ProgressBar, progress_chart_svg

    judgements = ["Significant progress", "Good progress", "Some progress"]
    svg = progress_chart_svg(
        [ProgressBar(f"Area {n}", 5 - n, j) for n, j in enumerate(judgements)],
        levels=["No", "Limited", "Some", "Good", "Significant"],
        title="Progress",
    )
    grounds = re.findall(
        r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="20" fill="#ffffff"/>'
        r'<text x="([\d.]+)"[^>]*>([^<]*)</text>',
        svg,
    )
    assert [words for *_, words in grounds] == judgements
    for left, width, start, words in grounds:
        # The ground covers the words at DejaVu Sans's widths (0.6 em a character on average),
        # and it is drawn after the gridlines, so it hides those they cross.
        assert float(left) <= float(start)
        assert float(left) + float(width) >= float(start) + 0.6 * 12 * len(words)
    assert svg.rindex("<line") < svg.index('fill="#ffffff"/><text')


def test_a_published_report_never_changes_silently() -> None:
    inspection, _, _ = _published(context="Original context.")
    services.inspection_update(inspection=inspection, context="Edited after publication.")
    page = Client().get(reverse("publishing:report", args=[inspection.pk]))
    content = page.content.decode()
    assert "Original context." in content
    assert "Edited after publication." not in content


def test_a_correction_publishes_a_new_version_with_a_visible_note() -> None:
    inspection, _, lead = _published(context="Original context.")
    services.inspection_update(inspection=inspection, context="Corrected context.")
    with pytest.raises(PublishingError, match="Say what the correction changes"):
        report_correct(inspection=inspection, by=lead, note=" ")
    version = report_correct(
        inspection=inspection, by=lead, note="The population figure was wrong."
    )
    assert version.number == 2
    latest = Client().get(reverse("publishing:report", args=[inspection.pk])).content.decode()
    assert "Corrected context." in latest
    assert "The population figure was wrong." in latest
    first = Client().get(reverse("publishing:report-version", args=[inspection.pk, 1]))
    assert "Original context." in first.content.decode()
    assert "a newer version exists" in first.content.decode()


def test_the_public_never_sees_unpublished_work(cast) -> None:
    inspection = factories.inspection(status=Status.FACTUAL_ACCURACY)
    for name in ("publishing:report", "publishing:report-pdf"):
        assert Client().get(reverse(name, args=[inspection.pk])).status_code == 404
    listing = Client().get(reverse("publishing:partnerships")).content.decode()
    assert inspection.title not in listing
    assert Client().get(reverse("publishing:draft", args=[inspection.pk])).status_code == 302


def test_the_partnership_lead_sees_the_draft_only_from_factual_accuracy(cast) -> None:
    inspection = factories.inspection(status=Status.QUALITY_ASSURANCE)
    client = Client()
    client.force_login(cast.lead_a)
    assert client.get(reverse("publishing:draft", args=[inspection.pk])).status_code == 403
    inspection.status = Status.FACTUAL_ACCURACY
    inspection.save()
    response = client.get(reverse("publishing:draft", args=[inspection.pk]))
    assert response.status_code == 200
    assert "Draft report — not for publication." in response.content.decode()
    other = Client()
    other.force_login(cast.lead_b)
    assert other.get(reverse("publishing:draft", args=[inspection.pk])).status_code == 403


def test_publishing_through_the_page_freezes_the_report() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.at_factual_accuracy(lead)
    client = Client()
    client.force_login(lead)
    response = client.post(reverse("publishing:publish", args=[inspection.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("publishing:report", args=[inspection.pk])
    pdf = Client().get(reverse("publishing:report-pdf", args=[inspection.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


# --- the version for children and young people ---------------------------------------------


WELL = (
    "- Staff act quickly when a child might be in danger.\n\n"
    "* Most children have a worker they trust."
)
BETTER = "Families should get help early.\nPlans should say what will happen, and when."


def test_a_version_for_children_and_young_people_is_frozen_with_the_report() -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_update(
        inspection=inspection,
        records_read=87,
        children_met=40,
        progress_review_planned=True,
        progress_review_due=date(2031, 3, 1),
        young_people_working_well=WELL,
        young_people_get_better=BETTER,
    )
    services.inspection_advance(inspection=inspection, by=lead)
    services.qa_signoff_record(
        inspection=inspection,
        by=factories.user(Role.QUALITY_ASSURANCE),
        decision=QASignOff.Decision.SIGNED_OFF,
        comments="",
    )
    services.inspection_advance(inspection=inspection, by=lead)
    version = inspection_publish(inspection=inspection, by=lead)
    html = version.young_html
    # One point a line, with the markers people type and blank lines left out.
    assert "<li>Staff act quickly when a child might be in danger.</li>" in html
    assert "<li>Most children have a worker they trust.</li>" in html
    assert html.count("<li>") == 2 + 2 + 3  # working well, to get better, what we did
    assert "We read the records of 87 children and young people" in html
    assert "We will come back by March 2031" in html
    assert "Childline" in html
    with pikepdf.open(io.BytesIO(bytes(version.young_pdf))) as pdf:
        assert pdf.Root.MarkInfo.Marked is True and "/StructTreeRoot" in pdf.Root
        with pdf.open_outline() as outline:
            titles = _titles(outline.root)
        assert titles[0] == f"What we found in {inspection.partnership.area.name}"
        assert {"What is working well", "What needs to get better"} <= set(titles)
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(bytes(version.young_pdf))).pages
    )
    assert "Families should get help early." in text
    # The public page, the PDF, and a link from the report.
    page = Client().get(reverse("publishing:young-people", args=[inspection.pk])).content.decode()
    assert "Families should get help early." in page
    pdf = Client().get(reverse("publishing:young-people-pdf", args=[inspection.pk]))
    assert pdf["Content-Type"] == "application/pdf" and bytes(pdf.content) == version.young_pdf
    report = Client().get(reverse("publishing:report", args=[inspection.pk])).content.decode()
    assert reverse("publishing:young-people", args=[inspection.pk]) in report
    # Frozen: a later change is not seen until a correction publishes it.
    services.inspection_update(inspection=inspection, young_people_get_better="Changed.")
    still = Client().get(reverse("publishing:young-people", args=[inspection.pk]))
    assert still.status_code == 200
    assert "Families should get help early." in still.content.decode()
    assert "Changed." not in still.content.decode()
    report_correct(inspection=inspection, by=lead, note="A point for young people was reworded.")
    page = Client().get(reverse("publishing:young-people", args=[inspection.pk])).content.decode()
    assert "<li>Changed.</li>" in page and "This is version 2" in page


def test_no_version_for_children_and_young_people_unless_the_team_writes_one() -> None:
    inspection, version, _ = _published()
    assert version.young_html == "" and bytes(version.young_pdf) == b""
    for name in ("publishing:young-people", "publishing:young-people-pdf"):
        assert Client().get(reverse(name, args=[inspection.pk])).status_code == 404
    report = Client().get(reverse("publishing:report", args=[inspection.pk])).content.decode()
    assert reverse("publishing:young-people", args=[inspection.pk]) not in report


def test_the_draft_version_for_young_people_is_for_the_team_and_says_what_is_missing(
    cast, inspection_a
) -> None:
    inspection = inspection_a
    url = reverse("publishing:draft-young-people", args=[inspection.pk])
    client = Client()
    client.force_login(cast.inspector_a)
    page = client.get(url).content.decode()
    assert "Nothing is written for children and young people yet" in page
    assert "Draft — not for publication." in page
    services.inspection_update(inspection=inspection, young_people_working_well="Kind staff.")
    page = client.get(url).content.decode()
    assert "<li>Kind staff.</li>" in page and "Nothing is written" not in page
    pdf = client.get(reverse("publishing:draft-young-people-pdf", args=[inspection.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert Client().get(url).status_code == 302  # anonymous: sign in
    for user in (cast.lead_a, cast.lead_b):  # partnerships: not before factual accuracy
        other = Client()
        other.force_login(user)
        assert other.get(url).status_code == 403
    for name in ("publishing:young-people", "publishing:young-people-pdf"):
        assert Client().get(reverse(name, args=[inspection.pk])).status_code == 404


def test_the_partnership_page_links_the_version_for_young_people_when_there_is_one() -> None:
    inspection, _, lead = _published()
    slug = inspection.partnership.slug
    url = reverse("publishing:young-people", args=[inspection.pk])
    assert url not in Client().get(reverse("publishing:partnership", args=[slug])).text
    services.inspection_update(inspection=inspection, young_people_working_well="Kind staff.")
    report_correct(inspection=inspection, by=lead, note="Added the version for young people.")
    page = Client().get(reverse("publishing:partnership", args=[slug])).text
    assert url in page and "For children and young people" in page
    # Taken out again by a later correction: the link goes, as the page would be gone.
    services.inspection_update(inspection=inspection, young_people_working_well="")
    report_correct(inspection=inspection, by=lead, note="Withdrawn for rewording.")
    assert url not in Client().get(reverse("publishing:partnership", args=[slug])).text
    assert Client().get(url).status_code == 404


def test_a_draft_pdf_is_named_for_its_partnership_and_day(cast) -> None:
    inspection = factories.inspection(status=Status.FACTUAL_ACCURACY)
    client = Client()
    client.force_login(cast.lead_a)
    response = client.get(reverse("publishing:draft-pdf", args=[inspection.pk]))
    name = response["Content-Disposition"]
    assert "south-ayrshire-inspection-report-draft-" in name and name.endswith('.pdf"')


def test_the_correction_page_shows_what_the_correction_would_change(cast) -> None:
    inspection, _, _ = _published("A coastal council area.")
    admin = factories.user(Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    url = reverse("publishing:correct", args=[inspection.pk])
    unchanged = client.get(url).content.decode()
    assert "is the same as version 1" in unchanged
    # The inspection's details stay open to change after publication, for corrections.
    services.inspection_update(inspection=inspection, context="A coastal and rural council area.")
    page = client.get(url).content.decode()
    assert (
        '<del><span class="visually-hidden">Removed: </span>A coastal council area.</del>' in page
    )
    assert (
        '<ins><span class="visually-hidden">Added: </span>A coastal and rural council area.</ins>'
        in page
    )
    assert page.count("<del>") == 1 and page.count("<ins>") == 1
    services.inspection_update(
        inspection=inspection,
        context="A coastal council area.",
        young_people_get_better="More help.",
    )
    young = client.get(url).content.decode()
    assert "The report itself is unchanged." in young
    assert "The version for children and young people" in young and "More help." in young


def test_text_blocks_and_changes_read_paragraphs_items_and_table_rows() -> None:
    from scrutiny.publishing.compare import Change, changes, text_blocks

    html = (
        "<h2>Title</h2><p>One <em>two</em>\n three.</p><ul><li>First</li><li>Second</li></ul>"
        "<table><caption>Grades</caption><tr><th>QI</th><td>Good</td></tr></table>"
    )
    assert text_blocks(html) == [
        "Title",
        "One two three.",
        "First",
        "Second",
        "Grades",
        "QI | Good",
    ]
    edited = html.replace("Second", "Second, changed").replace("<li>First</li>", "")
    assert changes(html, edited) == [
        Change("removed", "First"),
        Change("removed", "Second"),
        Change("added", "Second, changed"),
    ]
    assert changes(html, html) == []
    # A paragraph inside a cell stays part of its row; figure captions and image text count.
    assert text_blocks("<table><tr><td><p>A</p></td><td>B</td></tr></table>") == ["A | B"]
    assert text_blocks('<figure><img alt="Grades: 4"><figcaption>Grades</figcaption></figure>') == [
        "Grades: 4",
        "Grades",
    ]


def test_the_counts_of_what_the_team_did_pass_the_disclosure_gate() -> None:
    from scrutiny.publishing.report import render_young_body

    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_update(
        inspection=inspection,
        records_read=1200,
        staff_survey_responses=3,
        children_met=2,
        parents_met=5,
    )
    html = render_body(inspection, draft=True)
    assert "We read 1,200 children's records." in html
    assert "Fewer than 5 staff answered our survey." in html
    assert "We met or heard from fewer than 5 children and young people." in html
    assert "We met or heard from 5 parents and carers." in html
    young = render_young_body(inspection, draft=True)
    assert "We met or heard from fewer than 5 children and young people." in young
    assert "Fewer than 5 staff answered our questions." in young
    assert ">2 " not in html and ">3 " not in young


@pytest.mark.parametrize(
    ("records", "onsite", "sentence"),
    [
        (None, None, "told of the inspection on 5 January 2026.</p>"),
        (
            date(2026, 3, 2),
            None,
            "5 January 2026. Inspectors read children's records from 2 March 2026.</p>",
        ),
        (
            None,
            date(2026, 3, 30),
            "5 January 2026. Inspectors met staff, children, young people and families from "
            "30 March 2026.</p>",
        ),
        (
            date(2026, 3, 2),
            date(2026, 3, 30),
            "records from 2 March 2026 and met staff, children, young people and families from "
            "30 March 2026.</p>",
        ),
    ],
)
def test_the_method_says_when_the_team_read_and_met_in_one_sentence(
    records: date | None, onsite: date | None, sentence: str
) -> None:
    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    services.inspection_update(
        inspection=inspection,
        notification_date=date(2026, 1, 5),
        records_review_date=records,
        onsite_date=onsite,
    )
    html = render_body(inspection, draft=True)
    assert sentence in html
    assert ".." not in html.split('id="h-method"', 1)[1].split("</p>", 1)[0]


def test_the_contents_list_is_numbered_once_on_the_page_as_in_the_pdf(cast) -> None:
    """
    Given the report's contents list, whose headings carry their numbers ("1. Introduction")
    When it is shown on the page
    Then the page's stylesheet gives the list no numbers of its own, as the PDF's does
    """
    from django.contrib.staticfiles import finders

    lead = helpers.lead_inspector()
    inspection = helpers.ready_for_qa(lead)
    client = Client()
    client.force_login(lead)
    page = client.get(reverse("publishing:draft", args=[inspection.pk])).content.decode()
    assert '<ol class="scrutiny-report__toc"><li><a href="#introduction">1. Introduction' in page
    found = finders.find("frontend/scrutiny.css")
    assert isinstance(found, str)
    with open(found, encoding="utf-8") as css:
        rules = re.findall(r"\.scrutiny-report__toc\s*\{([^}]*)\}", css.read())
    assert any("list-style: none" in rule for rule in rules)
