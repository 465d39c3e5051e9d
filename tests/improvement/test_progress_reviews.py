"""Progress reviews: judging each area, QA sign-off, publication (frozen HTML and PDF), the
public pages, corrections and the command line."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pikepdf
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from typer.testing import CliRunner

from scrutiny.cli import app
from scrutiny.improvement import services
from scrutiny.improvement.models import ProgressReview, ProgressReviewSignOff
from scrutiny.improvement.services import ImprovementError
from scrutiny.inspections.models import Status, TeamMember
from scrutiny.publishing.progress_review import (
    ProgressPublishingError,
    progress_review_correct,
    progress_review_publish,
)
from tests import factories
from tests.conftest import Cast, client_for
from tests.improvement import helpers

pytestmark = pytest.mark.django_db


def _review(cast: Cast) -> ProgressReview:
    inspection = helpers.published_inspection()
    helpers.submitted_plan(cast.lead_a, inspection)
    return services.progress_review_create(
        inspection=inspection,
        title="Progress review: South Ayrshire",
        lead=cast.link_a,
        by=cast.link_a,
    )


def _signed_off(cast: Cast) -> ProgressReview:
    review = helpers.complete_review(_review(cast), cast.link_a)
    services.progress_review_submit(review=review, by=cast.link_a)
    services.progress_review_signoff(
        review=review, by=cast.qa, decision=ProgressReviewSignOff.Decision.SIGNED_OFF, comments=""
    )
    return review


def test_a_review_has_one_finding_per_area_and_its_team(cast: Cast) -> None:
    review = _review(cast)
    assert [f.area.number for f in review.findings.all()] == [1, 2]
    lead = review.team.get()
    assert lead.user == cast.link_a and lead.role == "lead_inspector"
    services.progress_review_team_add(review=review, user=cast.inspector_a, role="inspector")
    assert cast.inspector_a.has_perm("improvement.change_progress_review", review)
    assert not cast.inspector_a.has_perm("improvement.lead_progress_review", review)


def test_it_refuses_a_review_of_an_unpublished_inspection(cast: Cast) -> None:
    inspection = factories.inspection(status=Status.EVALUATING)
    with pytest.raises(ImprovementError, match="not published"):
        services.progress_review_create(
            inspection=inspection, title="Too soon", lead=cast.link_a, by=cast.link_a
        )
    assert not ProgressReview.objects.exists()


def test_an_unjudged_area_stops_quality_assurance_and_publication(cast: Cast) -> None:
    review = _review(cast)
    levels = helpers.levels()
    first = review.findings.get(area__number=1)
    services.progress_finding_save(
        finding=first, level=levels["Significant progress"], narrative="Strong.", by=cast.link_a
    )
    with pytest.raises(ImprovementError) as raised:
        services.progress_review_submit(review=review, by=cast.link_a)
    message = str(raised.value)
    assert "No progress judgement for: 2. Area 2." in message
    assert "The overall conclusion is not written." in message
    assert "The decision on further scrutiny is not made." in message
    review.refresh_from_db()
    assert review.status == ProgressReview.Status.DRAFT
    with pytest.raises(ImprovementError, match="signed off by quality assurance"):
        progress_review_publish(review=review, by=cast.link_a)
    assert not review.versions.exists()


def test_the_review_page_shows_what_is_missing(cast: Cast) -> None:
    review = _review(cast)
    response = client_for(cast.link_a).post(
        reverse("improvement:review-submit", args=[review.pk]), follow=True
    )
    assert "No progress judgement for: 1. Area 1; 2. Area 2." in response.content.decode()


def test_a_further_review_needs_a_date(cast: Cast) -> None:
    review = _review(cast)
    with pytest.raises(ImprovementError, match="date of the further review"):
        services.progress_review_update(
            review=review, further_scrutiny=ProgressReview.FurtherScrutiny.FURTHER_REVIEW
        )
    with pytest.raises(ImprovementError, match="end of fieldwork is before its start"):
        services.progress_review_update(
            review=ProgressReview.objects.get(pk=review.pk),
            fieldwork_start=helpers.today(),
            fieldwork_end=helpers.today().replace(year=2020),
        )


def test_quality_assurance_returns_with_comments_or_signs_off(cast: Cast) -> None:
    review = helpers.complete_review(_review(cast), cast.link_a)
    services.progress_review_submit(review=review, by=cast.link_a)
    with pytest.raises(ImprovementError, match="locked"):
        services.progress_finding_save(
            finding=review.findings.get(area__number=1), level=None, narrative="", by=cast.link_a
        )
    with pytest.raises(ImprovementError, match="Say why"):
        services.progress_review_signoff(
            review=review, by=cast.qa, decision="returned", comments=""
        )
    services.progress_review_signoff(
        review=review, by=cast.qa, decision="returned", comments="Say more about area 2."
    )
    assert review.status == ProgressReview.Status.DRAFT


def test_publishing_freezes_html_and_a_tagged_pdf_the_public_can_read(cast: Cast) -> None:
    review = _signed_off(cast)
    unpublished = Client().get(reverse("publishing:progress-review", args=[review.pk]))
    assert unpublished.status_code == 404
    response = client_for(cast.link_a).post(
        reverse("publishing:progress-review-publish", args=[review.pk])
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ProgressReview.Status.PUBLISHED
    version = review.versions.get()
    public = Client()
    page = public.get(reverse("publishing:progress-review", args=[review.pk])).content.decode()
    for heading in (
        "1. Introduction",
        "2. How we carried out the review",
        "3. Progress on each area for improvement",
        "4. Conclusion",
        "5. What happens next",
    ):
        assert heading in page
    assert "Encouraging progress is being made across most of the recommendations." in page
    assert "No further review is required." in page
    assert 'alt="Progress on each area for improvement. 1. Area 1: good progress' in page
    assert "<caption>Progress judgements</caption>" in page
    assert "The progress scale" in page
    assert "Scrutiny&#x27;s own" not in page  # a note for administrators, not for the public
    # The index of published reports lists it under its inspection's report.
    listing = public.get(reverse("publishing:partnerships")).content.decode()
    url = reverse("publishing:progress-review", args=[review.pk])
    assert f'href="{url}">Progress review, {review.publication_date:%B %Y}</a>' in listing
    pdf = public.get(reverse("publishing:progress-review-pdf", args=[review.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    data = bytes(version.pdf)
    assert pdf.content == data
    with pikepdf.open(io.BytesIO(data)) as document:
        assert document.Root.MarkInfo.Marked is True
        assert str(document.Root.Lang) == "en-GB"
        with document.open_outline() as outline:
            titles = [item.title for item in outline.root] + [
                child.title for item in outline.root for child in item.children
            ]
        assert "3. Progress on each area for improvement" in titles
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert f"Page 1 of {len(reader.pages)}" in text
    listing = public.get(reverse("publishing:partnership", args=["south-ayrshire"]))
    assert "Progress review: South Ayrshire" in listing.content.decode()


def test_a_published_review_never_changes_silently_and_corrections_add_a_version(
    cast: Cast,
) -> None:
    review = _signed_off(cast)
    progress_review_publish(review=review, by=cast.link_a)
    services.progress_review_update(review=review, conclusion="Changed after publication.")
    url = reverse("publishing:progress-review", args=[review.pk])
    assert "Changed after publication." not in Client().get(url).content.decode()
    with pytest.raises(ProgressPublishingError, match="Say what the correction changes"):
        progress_review_correct(review=review, by=cast.link_a, note=" ")
    progress_review_correct(review=review, by=cast.link_a, note="Conclusion reworded.")
    page = Client().get(url).content.decode()
    assert "Changed after publication." in page and "Conclusion reworded." in page
    first = Client().get(reverse("publishing:progress-review-version", args=[review.pk, 1]))
    assert "a newer version exists" in first.content.decode()


def test_draft_pages_are_for_the_inspectorate_only(cast: Cast) -> None:
    review = _review(cast)
    url = reverse("publishing:progress-review-draft", args=[review.pk])
    assert client_for(cast.link_a).get(url).status_code == 200
    assert "Draft progress review — not for publication." in (
        client_for(cast.link_a).get(url).content.decode()
    )
    assert client_for(cast.lead_a).get(url).status_code == 403
    assert client_for(cast.lead_b).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_findings_are_judged_through_the_page(cast: Cast) -> None:
    review = _review(cast)
    finding = review.findings.get(area__number=1)
    level = helpers.levels()["Some progress"]
    response = client_for(cast.link_a).post(
        reverse("improvement:finding-edit", args=[review.pk, finding.pk]),
        {"level": level.pk, "narrative": "More qualitative data needed."},
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.level == level and finding.narrative == "More qualitative data needed."
    assert (
        client_for(cast.lead_a)
        .get(reverse("improvement:finding-edit", args=[review.pk, finding.pk]))
        .status_code
        == 403
    )


def test_the_scale_is_data_administrators_can_change(cast: Cast) -> None:
    levels = helpers.levels()
    assert list(levels) == [
        "Significant progress",
        "Good progress",
        "Some progress",
        "Limited progress",
        "No progress",
    ]
    response = client_for(cast.admin).post(
        reverse("improvement:scale-edit", args=[levels["Good progress"].pk]),
        {"order": 2, "label": "Very good progress", "description": "Ours."},
    )
    assert response.status_code == 302
    page = client_for(cast.link_a).get(reverse("improvement:scale")).content.decode()
    assert "Very good progress" in page and "Scrutiny's own" in page
    assert client_for(cast.link_a).get(reverse("improvement:scale-add")).status_code == 403


def test_a_progress_level_order_or_label_in_use_is_explained_at_its_field(cast: Cast) -> None:
    """
    Given the shipped progress scale, where "Good progress" has order 2
    When an administrator adds a level with order 2, or labelled "Good progress"
    Then the order (or label) field says which is taken and what to do, and nothing is saved
    """
    client = client_for(cast.admin)
    response = client.post(reverse("improvement:scale-add"), {"order": 2, "label": "Fair progress"})
    assert response.status_code == 200
    assert response.context["form"].errors["order"] == [services.LEVEL_ORDER_TAKEN.format(order=2)]
    response = client.post(reverse("improvement:scale-add"), {"order": 9, "label": "Good progress"})
    assert response.context["form"].errors["label"] == [
        services.LEVEL_LABEL_TAKEN.format(label="Good progress")
    ]
    assert len(helpers.levels()) == 5


runner = CliRunner()


def test_the_command_line_lists_and_writes_reviews(cast: Cast, tmp_path: Path) -> None:
    review = _review(cast)
    listed = runner.invoke(app, ["report", "progress-review", "--list"])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines() == [
        f"{review.pk}\tSouth Ayrshire Community Planning Partnership\tdraft\t{review.title}"
    ]
    html = tmp_path / "review.html"
    result = runner.invoke(
        app, ["report", "progress-review", str(review.pk), "--format", "html", "-o", str(html)]
    )
    assert result.exit_code == 0, result.output
    assert "Draft progress review — not for publication." in html.read_text(encoding="utf-8")
    missing = runner.invoke(app, ["report", "progress-review", "999", "-o", str(html)])
    assert missing.exit_code == 2
    assert "There is no progress review 999" in missing.output


def test_the_command_line_gives_a_published_reviews_frozen_pdf(cast: Cast, tmp_path: Path) -> None:
    review = _signed_off(cast)
    version = progress_review_publish(review=review, by=cast.link_a)
    pdf = tmp_path / "review.pdf"
    result = runner.invoke(
        app, ["report", "progress-review", str(review.pk), "--format", "pdf", "-o", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes() == bytes(version.pdf)


def test_monitoring_links_a_review_only_for_those_who_may_open_it(cast: Cast) -> None:
    review = _signed_off(cast)
    # On the team of the partnership's inspection: reads monitoring, not on the review's team.
    TeamMember.objects.create(inspection=review.inspection, user=cast.inspector_a, role="inspector")
    url = reverse("improvement:monitoring", args=["south-ayrshire"])
    internal = reverse("improvement:review", args=[review.pk])
    public = reverse("publishing:progress-review", args=[review.pk])
    page = client_for(cast.inspector_a).get(url).content.decode()
    assert review.title in page
    assert internal not in page and public not in page
    assert client_for(cast.inspector_a).get(internal).status_code == 403
    assert internal in client_for(cast.link_a).get(url).content.decode()
    client_for(cast.link_a).post(reverse("publishing:progress-review-publish", args=[review.pk]))
    page = client_for(cast.inspector_a).get(url).content.decode()
    assert public in page and internal not in page


def test_it_lists_reviews_waiting_for_quality_assurance_on_the_qa_home_page(cast: Cast) -> None:
    """
    Given a progress review the link inspector has sent to quality assurance
    When quality assurance opens their home page
    Then the review is listed with a link to it, and it leaves the list once signed off
    """
    review = helpers.complete_review(_review(cast), cast.link_a)
    home = reverse("frontend:home")
    before = client_for(cast.qa).get(home).content.decode()
    assert "Progress reviews at quality assurance" in before
    assert reverse("improvement:review", args=[review.pk]) not in before
    services.progress_review_submit(review=review, by=cast.link_a)
    waiting = client_for(cast.qa).get(home).content.decode()
    assert f'href="{reverse("improvement:review", args=[review.pk])}"' in waiting
    assert review.title in waiting
    lead_page = client_for(cast.lead_a).get(home).content.decode()
    assert "Progress reviews at quality assurance" not in lead_page
    services.progress_review_signoff(
        review=review, by=cast.qa, decision=ProgressReviewSignOff.Decision.SIGNED_OFF, comments=""
    )
    after = client_for(cast.qa).get(home).content.decode()
    assert reverse("improvement:review", args=[review.pk]) not in after


def test_a_further_review_cannot_come_before_the_reviews_own_dates(cast: Cast) -> None:
    """
    Given a review whose fieldwork ends a few days after the report's publication
    When its team sets a further review for 1 January 2020
    Then the edit page says under the date that it is before the end of fieldwork, and the
    review is unchanged; a date after the fieldwork is saved
    """
    review = _review(cast)
    published = review.inspection.publication_date
    assert published is not None
    end = published + timedelta(days=4)
    url = reverse("improvement:review-edit", args=[review.pk])
    data = {
        "title": review.title,
        "fieldwork_start": published.isoformat(),
        "fieldwork_end": end.isoformat(),
        "further_scrutiny": "further_review",
        "further_review_date": "2020-01-01",
    }
    client = client_for(cast.link_a)
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["further_review_date"] == [
        "The date of the further review (1 January 2020) is before the end of this review's "
        f"fieldwork ({end.day} {end:%B %Y}): give a date on or after it."
    ]
    review.refresh_from_db()
    assert review.further_review_date is None and review.fieldwork_end is None
    with pytest.raises(ImprovementError, match="before the day this review was started"):
        services.progress_review_update(
            review=review,
            further_scrutiny=ProgressReview.FurtherScrutiny.FURTHER_REVIEW,
            further_review_date=review.created_at.date().replace(year=2020),
        )
    later = (end + timedelta(days=365)).isoformat()
    response = client.post(url, {**data, "further_review_date": later})
    assert response.status_code == 302
    review.refresh_from_db()
    assert str(review.further_review_date) == later


def test_a_review_published_after_its_further_review_date_still_publishes(cast: Cast) -> None:
    from datetime import timedelta

    from scrutiny.publishing.progress_review import progress_review_publish

    review = helpers.complete_review(_review(cast), cast.link_a)
    services.progress_review_update(
        review=review,
        further_scrutiny=ProgressReview.FurtherScrutiny.FURTHER_REVIEW,
        further_review_date=helpers.today() + timedelta(days=10),
    )
    services.progress_review_submit(review=review, by=cast.link_a)
    services.progress_review_signoff(
        review=review, by=cast.qa, decision=ProgressReviewSignOff.Decision.SIGNED_OFF, comments=""
    )
    # Signed off, so the further review's date is locked; publication comes late.
    progress_review_publish(
        review=review, by=cast.link_a, publication_date=helpers.today() + timedelta(days=20)
    )
    review.refresh_from_db()
    assert review.status == ProgressReview.Status.PUBLISHED
