"""Surveys: importing exports through a saved column mapping, results, free-text answers."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.accounts.models import AccessLogEntry
from scrutiny.fieldwork import mapping, results, selectors, services
from scrutiny.fieldwork.loader import DATA
from scrutiny.fieldwork.models import (
    ColumnMapping,
    PendingSurveyImport,
    Survey,
    SurveyInstrument,
    SurveyResponse,
)
from scrutiny.inspections.models import EvidenceItem, Inspection, Status
from tests.fieldwork.helpers import AS_AT, return_csv

pytestmark = pytest.mark.django_db

WORK_TOGETHER = "Agencies work well together to support children and families."
WORKS_WELL = "What works well in services for children and families here?"
EXPORT = (
    f"Completion time,Email,Which agency do you work for?,{WORK_TOGETHER},{WORKS_WELL}\n"
    "05/03/2026 09:10:00,anonymous,NHS health,Agree,Joint visits with the school nurse.\n"
    "05/03/2026 12:00:00,anonymous,NHS health,Strongly agree,\n"
    "06/03/2026 08:30:00,anonymous,Police Scotland,Don't know,Quick sharing of concerns.\n"
    "07/03/2026 17:45:00,anonymous,Council social work,Disagree,\n"
)


def _staff() -> SurveyInstrument:
    return SurveyInstrument.objects.get(slug="scrutiny-staff-survey")


def _survey(inspection: Any, by: Any) -> Any:
    return services.survey_create(
        inspection=inspection, instrument=_staff(), title="Staff survey", by=by
    )


def _upload(name: str, text: str) -> io.BytesIO:
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def test_default_instruments_exist_for_each_audience_and_are_labelled_as_ours() -> None:
    audiences = set(SurveyInstrument.objects.values_list("audience", flat=True))
    assert audiences == {"staff", "children", "parents"}
    for instrument in SurveyInstrument.objects.all():
        assert "not the inspectorate's official" in instrument.notice
        kinds = set(instrument.questions.values_list("kind", flat=True))
        assert kinds == {"likert", "single_choice", "free_text"}


def test_it_imports_through_a_mapping_that_is_saved_and_reused(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    upload_url = reverse("fieldwork:survey-upload", args=[survey.pk])
    response = client.post(upload_url, {"file": _upload("export.csv", EXPORT)})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"Columns are matched to questions by their text" in page.content
    form = page.context["form"]
    data = {name: form[name].initial for name in form.fields}
    data["day_first"] = "1"
    assert data["column_0"] == mapping.SUBMITTED and data["column_1"] == mapping.IGNORE
    assert data["column_3"] == "joint-working" and data["column_4"] == "works-well"
    done = client.post(response["Location"], data)
    assert done.status_code == 302
    assert SurveyResponse.objects.filter(survey=survey).count() == 4
    first = SurveyResponse.objects.filter(survey=survey).order_by("submitted_at").first()
    assert first is not None and first.agency == "NHS health"
    assert first.submitted_at.date() == date(2026, 3, 5)
    # The next export has the same headings in another order: the saved mapping applies.
    columns = EXPORT.splitlines()
    reordered = "\n".join(
        ",".join([cells[1], cells[0], *cells[2:]])
        for cells in (line.split(",", 2) for line in columns)
    )
    second = client.post(upload_url, {"file": _upload("export2.csv", reordered + "\n")})
    page = client.get(second["Location"])
    assert b"A saved mapping for files with these headings has been applied" in page.content
    assert page.context["form"]["column_1"].initial == mapping.SUBMITTED
    assert ColumnMapping.objects.count() == 1


def test_it_reports_every_bad_row_and_keeps_nothing(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    bad = EXPORT + "yesterday,anonymous,Fire service,Sort of agree,\n"
    pending = services.survey_upload(survey=survey, name="e.csv", data=bad.encode(), by=cast.qa)
    header, _ = services.read_export(pending.text)
    with pytest.raises(services.SurveyImportRejected) as caught:
        services.survey_import(
            pending=pending,
            column_mapping=mapping.suggest(header, services.instrument_questions(_staff())),
            day_first=True,
            by=cast.inspector_a,
        )
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("Row 6, column 'Completion time': 'yesterday' — expected a date")
    assert (
        "Row 6, column 'Which agency do you work for?': 'Fire service' — expected one of:"
        in (problems[1])
    )
    assert "'Sort of agree' — expected one of: Strongly agree, Agree" in problems[2]
    assert not SurveyResponse.objects.exists()
    assert not ColumnMapping.objects.exists()


def test_it_cuts_a_very_long_answer_in_a_problem_message(cast: Any, inspection_a: Any) -> None:
    """
    Given an export with a 6,000-character answer to an agreement question
    When it is imported
    Then the problem quotes its first 40 characters and "…", not the whole answer
    """
    survey = _survey(inspection_a, cast.inspector_a)
    bad = EXPORT + f"07/03/2026 18:00:00,anonymous,NHS health,{'x' * 6000},\n"
    pending = services.survey_upload(survey=survey, name="e.csv", data=bad.encode(), by=cast.qa)
    header, _ = services.read_export(pending.text)
    with pytest.raises(services.SurveyImportRejected) as caught:
        services.survey_import(
            pending=pending,
            column_mapping=mapping.suggest(header, services.instrument_questions(_staff())),
            day_first=True,
            by=cast.inspector_a,
        )
    [problem] = caught.value.problems
    assert f": '{'x' * 40}…' — expected one of: Strongly agree" in problem
    assert len(problem) < 400


def _import(survey: Any, text: str) -> services.SurveyImported:
    """Import an export with the suggested mapping, as the survey's creator."""
    by = survey.created_by
    pending = services.survey_upload(survey=survey, name="e.csv", data=text.encode(), by=by)
    header, _ = services.read_export(pending.text)
    return services.survey_import(
        pending=pending,
        column_mapping=mapping.suggest(header, services.instrument_questions(_staff())),
        day_first=True,
        by=by,
    )


def test_it_refuses_responses_outside_the_surveys_dates_or_in_the_future(
    cast: Any, inspection_a: Any
) -> None:
    """
    Given a survey that ran from 13 July to 2 August 2026
    When an export has responses dated 1 January 2030 and 1 January 2020 among good ones
    Then nothing is imported and each of the two is a problem with its row
    """
    survey = services.survey_create(
        inspection=inspection_a,
        instrument=_staff(),
        title="Staff survey",
        by=cast.inspector_a,
        opens_on=date(2026, 7, 13),
        closes_on=date(2026, 8, 2),
    )
    export = (
        f"Completion time,Email,{WORK_TOGETHER}\n"
        "13/07/2026 00:10:00,anonymous,Agree\n"
        "01/01/2030 09:00:00,anonymous,Agree\n"
        "02/08/2026 23:59:00,anonymous,Agree\n"
        "01/01/2020 09:00:00,anonymous,Agree\n"
    )
    with pytest.raises(services.SurveyImportRejected) as caught:
        _import(survey, export)
    first, second = caught.value.problems
    assert first.startswith(
        "Row 3, column 'Completion time': '01/01/2030 09:00:00' — expected a time in the past"
    )
    assert second == (
        "Row 5, column 'Completion time': '01/01/2020 09:00:00' — expected a date from 13 July "
        "2026 to 2 August 2026: the survey's dates (check them, or the file)."
    )
    assert not SurveyResponse.objects.exists()


def test_without_dates_set_only_a_future_response_is_refused(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    export = f"Completion time,{WORK_TOGETHER}\n01/01/2020 09:00,Agree\n01/01/2030 09:00,Agree\n"
    with pytest.raises(services.SurveyImportRejected) as caught:
        _import(survey, export)
    assert [p.split(":")[0] for p in caught.value.problems] == ["Row 3, column 'Completion time'"]
    assert _import(survey, export.rsplit("\n", 2)[0] + "\n").new == 1


def test_a_mapping_needs_one_submitted_column_and_one_column_per_question(
    cast: Any, inspection_a: Any
) -> None:
    questions = services.instrument_questions(_staff())
    problems = mapping.check_mapping({"a": "agency", "b": "agency"}, questions)
    assert problems[0] == "Choose exactly one column for when each response was submitted."
    assert "Two columns are mapped to the same question (a, b): choose one." in problems


def test_results_give_percent_agree_without_dont_know_and_breakdowns(
    cast: Any, inspection_a: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    parsed = []
    answers = ["strongly_agree"] * 12 + ["agree"] * 18 + ["disagree"] * 10 + ["dont_know"] * 6
    for n, answer in enumerate(answers):
        parsed.append(
            mapping.ParsedResponse(
                row=n + 2,
                submitted_at=datetime(2026, 3, 2 + n % 3, 10, 0),
                answers={
                    "joint-working": answer,
                    "agency": ("NHS health", "Police Scotland")[n % 2],
                },
                agency=("NHS health", "Police Scotland")[n % 2],
            )
        )
    services.store_responses(survey=survey, batch=None, parsed=parsed)
    found = results.survey_results(survey=survey)
    item = next(i for i in found.items if i.key == "joint-working")
    assert item.agree is not None
    assert item.agree.count == "30" and item.agree.percentage == 75.0  # 30 of 40
    assert item.agree.word == "most"
    assert found.by_agency is not None and found.by_agency.groups == [
        "NHS health",
        "Police Scotland",
    ]
    assert [count for _, count in found.by_day] == [16, 15, 15]


def test_free_text_answers_are_plain_rows_for_the_qualitative_app(
    cast: Any, inspection_a: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    pending = services.survey_upload(survey=survey, name="e.csv", data=EXPORT.encode(), by=cast.qa)
    header, _ = services.read_export(pending.text)
    services.survey_import(
        pending=pending,
        column_mapping=mapping.suggest(header, services.instrument_questions(_staff())),
        day_first=True,
        by=cast.inspector_a,
    )
    rows = selectors.free_text_answers(survey=survey)
    assert set(rows[0]) == {
        "id",
        "question",
        "text",
        "respondent_type",
        "agency",
        "role",
        "submitted",
    }
    assert [(r["text"], r["agency"], r["respondent_type"], r["submitted"]) for r in rows] == [
        ("Joint visits with the school nurse.", "NHS health", "staff", date(2026, 3, 5)),
        ("Quick sharing of concerns.", "Police Scotland", "staff", date(2026, 3, 6)),
    ]
    assert all(r["question"] == WORKS_WELL for r in rows)


def test_the_example_export_imports_with_the_suggested_mapping(
    cast: Any, inspection_a: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    data = (DATA / "example-staff-survey-export-synthetic.csv").read_bytes()
    pending = services.survey_upload(survey=survey, name="x.csv", data=data, by=cast.qa)
    header, _ = services.read_export(pending.text)
    suggested = mapping.suggest(header, services.instrument_questions(_staff()))
    assert suggested["Completion time"] == mapping.SUBMITTED
    imported = services.survey_import(
        pending=pending, column_mapping=suggested, day_first=True, by=cast.inspector_a
    )
    assert imported.new == 120 and imported.batch is not None
    assert imported.batch.responses == 120


@settings(deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Strongly agree",
                "agree",
                "NEITHER agree nor disagree",
                "Disagree",
                "strongly disagree",
                "Don\u2019t know",
                "don't know",
                "",
            ]
        ),
        min_size=1,
        max_size=30,
    )
)
def test_property_likert_labels_are_read_whatever_their_case_or_apostrophe(
    labels: list[str],
) -> None:
    questions = [mapping.Question(key="q", text="Q", kind="likert")]
    rows = [(n + 2, ["2026-03-01 10:00", label]) for n, label in enumerate(labels)]
    parsed = mapping.parse_rows(
        ["When", "Q"], rows, mapping={"When": mapping.SUBMITTED, "Q": "q"}, questions=questions
    )
    assert not parsed.problems
    assert [r.answers.get("q", "") for r in parsed.responses] == [
        mapping.likert_value(label) or "" for label in labels
    ]


@settings(deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=8, unique=True))
def test_property_the_signature_ignores_order_and_spacing(headers: list[str]) -> None:
    shuffled = [f"  {h} " for h in reversed(headers)]
    assert mapping.signature(headers) == mapping.signature(shuffled)


@settings(deadline=None)
@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
    st.booleans(),
)
def test_property_timestamps_are_read_in_each_common_format(
    moment: datetime, day_first: bool
) -> None:
    moment = moment.replace(microsecond=0)
    written = moment.strftime("%d/%m/%Y %H:%M:%S" if day_first else "%m/%d/%Y %H:%M:%S")
    assert mapping.parse_timestamp(written, day_first=day_first) == moment
    assert mapping.parse_timestamp(moment.isoformat(), day_first=day_first) == moment


def _responses(survey: Any, likert: dict[str, list[str]], texts: Sequence[str] = ()) -> None:
    """Store one response per answer of the longest list (answers in order, blank after)."""
    count = max(len(answers) for answers in likert.values())
    parsed = []
    for n in range(count):
        answers = {key: values[n] for key, values in likert.items() if n < len(values)}
        if n < len(texts):
            answers["works-well"] = texts[n]
        parsed.append(
            mapping.ParsedResponse(
                row=n + 2, submitted_at=datetime(2026, 3, 2, 10, 0), answers=answers
            )
        )
    services.store_responses(survey=survey, batch=None, parsed=parsed)


def test_survey_results_become_an_evidence_item_linked_to_the_questions_qis(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    answers = ["strongly_agree"] * 12 + ["agree"] * 18 + ["disagree"] * 10 + ["dont_know"] * 6
    _responses(
        survey,
        {"joint-working": answers},
        texts=["Joint visits with the school nurse.", "Quick sharing of concerns."],
    )
    url = reverse("fieldwork:survey-evidence", args=[survey.pk])
    response = as_user(cast.inspector_a).post(url, follow=True)
    item = EvidenceItem.objects.get(inspection=inspection_a)
    assert item.kind == EvidenceItem.Kind.STAFF_SURVEY
    assert item.source == "Staff survey"  # no count: the name travels into published reviews
    assert f"{WORK_TOGETHER} % agree: 75% (60 to 86%), most (answered: 46)." in item.summary
    assert "Free-text answers are not quoted here" in item.summary
    assert "school nurse" not in item.summary
    assert set(item.qis.values_list("key", flat=True)) == {
        q.qi_key for q in _staff().questions.exclude(qi_key="")
    }
    assert "Evidence log updated: Staff survey." in response.content.decode()
    survey.refresh_from_db()
    assert survey.evidence_item == item

    _responses(survey, {"joint-working": ["disagree"] * 10})
    as_user(cast.inspector_a).post(url)
    assert EvidenceItem.objects.filter(inspection=inspection_a).count() == 1
    item.refresh_from_db()
    assert item.source == "Staff survey"
    assert "% agree: 60% (" in item.summary and "(answered: 56)." in item.summary


def test_the_survey_summary_keeps_small_counts_hidden(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    # 2 of 12 disagree: 2 is below the threshold, so it is hidden, and the 10 agreeing with it.
    _responses(survey, {"joint-working": ["agree"] * 10 + ["disagree"] * 2})
    summary = results.survey_summary_text(survey=survey)
    assert summary is not None
    line = next(text for text in summary.splitlines() if text.startswith(WORK_TOGETHER))
    assert line == f"{WORK_TOGETHER} % agree: suppressed (answered: 12)."


def test_percent_agree_never_gives_away_a_hidden_dont_know(cast: Any, inspection_a: Any) -> None:
    """20 agree, 10 disagree, 2 don't know: the 2 is hidden in the answer table, so % agree
    (20 of 30) is too: with the 32 who answered, its base would give the 2 away."""
    survey = _survey(inspection_a, cast.inspector_a)
    _responses(survey, {"joint-working": ["agree"] * 20 + ["disagree"] * 10 + ["dont_know"] * 2})
    item = next(i for i in results.survey_results(survey=survey).items if i.key == "joint-working")
    shown = {line.label: line.count for line in item.lines}
    assert shown["Don't know"] == "*"
    assert item.agree is not None and item.agree.count == "*"
    assert item.agree.percentage is None
    summary = results.survey_summary_text(survey=survey)
    assert summary is not None and "67%" not in summary and "(answered: 32)." in summary


def test_the_breakdown_by_group_gives_no_base_to_subtract(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """The same 20/10/2 split across two agencies. No group's base is shown: summed over the
    groups, the bases would give the hidden 2 away (32 answered, 30 bases). Nor is any group's
    percentage, since the answer table hides don't know: rounded percentages narrow the bases
    down too (20 agreeing split as 67% and 67% fits few bases). With 5 don't know, shown in
    the table, the groups' percentages are shown."""
    survey = _survey(inspection_a, cast.inspector_a)
    answers = ["agree"] * 20 + ["disagree"] * 10 + ["dont_know"] * 2
    agencies = ["NHS health", "Police Scotland"]
    services.store_responses(
        survey=survey,
        batch=None,
        parsed=[
            mapping.ParsedResponse(
                row=n + 2,
                submitted_at=datetime(2026, 3, 2, 10, 0),
                answers={"joint-working": answer, "agency": agencies[n % 2]},
                agency=agencies[n % 2],
            )
            for n, answer in enumerate(answers)
        ],
    )
    found = results.survey_results(survey=survey)
    assert found.by_agency is not None
    row = next(cells for text, cells in found.by_agency.rows if text == WORK_TOGETHER)
    assert row == ["*", "*"]
    page = as_user(cast.inspector_a).get(reverse("fieldwork:survey", args=[survey.pk])).text
    assert "n = 15" not in page and "(n = " not in page and "67%" not in page
    download = as_user(cast.inspector_a).get(reverse("fieldwork:survey-csv", args=[survey.pk]))
    assert "n = " not in download.content.decode() and "66.7" not in download.content.decode()
    services.store_responses(
        survey=survey,
        batch=None,
        parsed=[
            mapping.ParsedResponse(
                row=n + 40,
                submitted_at=datetime(2026, 3, 3, 10, 0),
                answers={"joint-working": "dont_know", "agency": agencies[n % 2]},
                agency=agencies[n % 2],
            )
            for n in range(3)
        ],
    )
    found = results.survey_results(survey=survey)
    assert found.by_agency is not None
    row = next(cells for text, cells in found.by_agency.rows if text == WORK_TOGETHER)
    assert row == ["67%", "67%"]  # don't know (5) is shown: the bases tell nothing new


def test_the_csv_gives_percent_agree_with_its_own_base(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    answers = ["strongly_agree"] * 6 + ["agree"] * 14 + ["disagree"] * 10 + ["dont_know"] * 5
    _responses(survey, {"joint-working": answers})
    download = as_user(cast.inspector_a).get(reverse("fieldwork:survey-csv", args=[survey.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    header = rows[0]
    agree = next(r for r in rows if r[1:3] == [WORK_TOGETHER, "% agree"])
    assert agree[header.index("count")] == "20" and agree[header.index("n")] == "30"
    assert agree[header.index("percentage")] == "66.7"


def test_everyone_saying_dont_know_is_not_called_suppressed(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    _responses(survey, {"joint-working": ["dont_know"] * 12})
    summary = results.survey_summary_text(survey=survey)
    assert summary is not None
    assert f"{WORK_TOGETHER} % agree: no answers other than don't know (answered: 12)." in summary
    page = as_user(cast.inspector_a).get(reverse("fieldwork:survey", args=[survey.pk])).text
    assert "% agree: no answers other than don't know." in page


def test_percent_agree_is_what_the_answer_table_shows(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    answers = ["strongly_agree"] * 6 + ["agree"] * 14 + ["disagree"] * 10 + ["dont_know"] * 5
    _responses(survey, {"joint-working": answers})
    item = next(i for i in results.survey_results(survey=survey).items if i.key == "joint-working")
    assert item.agree is not None
    assert item.agree.count == "20" and item.agree.percentage == pytest.approx(200 / 3)  # of 30


def test_a_childrens_survey_is_evidence_of_its_own_kind(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    instrument = SurveyInstrument.objects.get(slug="scrutiny-children-survey")
    survey = services.survey_create(
        inspection=inspection_a, instrument=instrument, title="Young people", by=cast.inspector_a
    )
    _responses(survey, {"safe-home": ["agree"] * 20, "listened-to": ["agree"] * 20})
    item = services.survey_evidence_save(survey=survey, by=cast.inspector_a)
    assert item.kind == EvidenceItem.Kind.SURVEY
    assert "20 responses from children and young people (8 to 15). Questions:" in item.summary
    assert (
        "I feel safe where I live. % agree: 100% (84 to 100%), all (answered: 20)." in item.summary
    )


def test_no_evidence_unless_a_question_is_linked_to_a_qi_of_the_framework(
    cast: Any, inspection_a: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    _responses(survey, {"joint-working": ["agree"] * 10})
    survey.instrument.questions.update(qi_key="")
    with pytest.raises(services.FieldworkError, match="None of the questions is linked"):
        services.survey_evidence_save(survey=survey, by=cast.inspector_a)
    assert not EvidenceItem.objects.exists()


def test_only_the_team_sees_the_evidence_button(cast: Any, inspection_a: Any, as_user: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    _responses(survey, {"joint-working": ["agree"] * 10})
    url = reverse("fieldwork:survey", args=[survey.pk])
    button = "Add the summary in the evidence log"
    assert button in as_user(cast.inspector_a).get(url).content.decode()
    for user in (cast.qa, cast.link_a):
        page = as_user(user).get(url)
        assert page.status_code == 200 and button not in page.content.decode()
    response = as_user(cast.qa).post(reverse("fieldwork:survey-evidence", args=[survey.pk]))
    assert response.status_code == 403 and not EvidenceItem.objects.exists()


def test_a_closed_surveys_evidence_is_dated_when_it_closed(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=date(2026, 3, 2), closes_on=date(2026, 3, 20)
    )
    survey.refresh_from_db()
    _responses(survey, {"joint-working": ["agree"] * 10})
    item = services.survey_evidence_save(survey=survey, by=cast.inspector_a)
    assert item.date == date(2026, 3, 20)
    assert "open 2 March 2026 to 20 March 2026" in item.summary


def test_no_evidence_without_responses_or_once_published(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    url = reverse("fieldwork:survey-evidence", args=[survey.pk])
    response = as_user(cast.inspector_a).post(url, follow=True)
    assert "No responses have been imported yet" in response.content.decode()
    assert not EvidenceItem.objects.exists()
    _responses(survey, {"joint-working": ["agree"] * 10})
    Inspection.objects.filter(pk=inspection_a.pk).update(status=Status.PUBLISHED)
    with pytest.raises(services.FieldworkError, match="published"):
        services.survey_evidence_save(survey=Survey.objects.get(pk=survey.pk), by=cast.inspector_a)
    assert not EvidenceItem.objects.exists()


def test_the_evidence_log_links_each_item_to_its_survey_without_a_query_each(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    url = reverse("inspections:evidence", args=[inspection_a.pk])
    client = as_user(cast.inspector_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    surveys = []
    for number in range(3):
        survey = services.survey_create(
            inspection=inspection_a, instrument=_staff(), title=f"Survey {number}", by=cast.qa
        )
        _responses(survey, {"joint-working": ["agree"] * 10})
        services.survey_evidence_save(survey=survey, by=cast.inspector_a)
        surveys.append(survey)
        if number == 0:
            one = queries()
    page = client.get(url).text
    for survey in surveys:
        link = reverse("fieldwork:survey", args=[survey.pk])
        assert f'href="{link}">The full results of {survey.title}</a>' in page
    assert queries() == one


def test_free_text_answers_and_an_upload_to_map_are_in_the_access_log(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    response = client.post(
        reverse("fieldwork:survey-upload", args=[survey.pk]),
        {"file": _upload("export.csv", EXPORT)},
    )
    page = client.get(response["Location"])
    assert b"Joint visits with the school nurse." in page.content
    assert AccessLogEntry.objects.filter(
        user=cast.inspector_a, what__startswith="Survey upload to map", path=response["Location"]
    ).exists()
    free_text = reverse("fieldwork:survey-free-text", args=[survey.pk])
    assert client.get(free_text).status_code == 200
    entry = AccessLogEntry.objects.get(user=cast.inspector_a, path=free_text)
    assert entry.what.startswith("Free-text answers to Staff survey")
    assert entry.partnership_id == inspection_a.partnership_id


def _import_through_the_pages(client: Any, survey: Any, name: str, data: bytes) -> str:
    """Upload a file, accept the suggested mapping and return the message shown after."""
    upload = io.BytesIO(data)
    upload.name = name
    response = client.post(reverse("fieldwork:survey-upload", args=[survey.pk]), {"file": upload})
    assert response.status_code == 302, response.content
    form = client.get(response["Location"]).context["form"]
    mapped = {field: form[field].initial for field in form.fields}
    done = client.post(response["Location"], {**mapped, "day_first": "1"}, follow=True)
    return " ".join(str(m) for m in done.context["messages"])


def test_it_skips_responses_already_imported_by_their_id(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given the example export (it has an ID column) imported once
    When the same export is imported again, and then a later export with 2 more responses
    Then the first adds nothing and says so, the second adds only the 2 new responses
    """
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    data = (DATA / "example-staff-survey-export-synthetic.csv").read_bytes()
    assert "120 new responses imported" in _import_through_the_pages(client, survey, "a.csv", data)
    again = _import_through_the_pages(client, survey, "a.csv", data)
    assert "Nothing new in a.csv: all 120 of its responses had already been imported" in again
    assert SurveyResponse.objects.filter(survey=survey).count() == 120
    assert survey.imports.count() == 1
    lines = data.decode("utf-8-sig").splitlines()
    later = [
        *lines,
        *(f"{n}," + line.split(",", 1)[1] for n, line in ((121, lines[1]), (122, lines[2]))),
    ]
    message = _import_through_the_pages(client, survey, "b.csv", "\n".join(later).encode())
    assert "2 new responses imported from b.csv; 120 were already imported and skipped" in message
    assert SurveyResponse.objects.filter(survey=survey).count() == 122
    assert set(SurveyResponse.objects.values_list("source_id", flat=True)) == {
        str(n) for n in range(1, 123)
    }


def test_another_forms_response_with_the_same_id_is_not_taken_for_one_imported(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """Tools number each form's responses 1, 2, 3…: an ID seen before with another submission
    time is another response, and is imported."""
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    data = (DATA / "example-staff-survey-export-synthetic.csv").read_bytes()
    _import_through_the_pages(client, survey, "a.csv", data)
    header, first = data.decode("utf-8-sig").splitlines()[:2]
    other = first.replace(
        "17/07/2026 15:37:00,17/07/2026 15:49:00", "18/07/2026 09:00:00,18/07/2026 09:10:00"
    )
    assert other != first
    message = _import_through_the_pages(client, survey, "b.csv", f"{header}\n{other}\n".encode())
    assert "1 new response imported from b.csv" in message
    assert SurveyResponse.objects.filter(survey=survey, source_id="1").count() == 2


def test_without_an_id_column_it_skips_responses_with_the_same_time_and_answers(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    assert "4 new responses" in _import_through_the_pages(client, survey, "e.csv", EXPORT.encode())
    # The same moment with another answer is another response; a repeated row is skipped.
    later = EXPORT + "07/03/2026 17:45:00,anonymous,Council social work,Agree,\n"
    message = _import_through_the_pages(client, survey, "f.csv", later.encode())
    assert "1 new response imported from f.csv; 4 were already imported and skipped" in message
    assert SurveyResponse.objects.filter(survey=survey).count() == 5


def test_two_identical_responses_in_a_file_without_ids_are_both_kept(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    twice = EXPORT + EXPORT.splitlines()[2] + "\n"
    assert "5 new responses" in _import_through_the_pages(client, survey, "e.csv", twice.encode())
    three = twice + EXPORT.splitlines()[2] + "\n"
    message = _import_through_the_pages(client, survey, "f.csv", three.encode())
    assert "1 new response imported from f.csv; 5 were already imported" in message


def test_a_response_id_used_twice_in_a_file_is_a_problem(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    lines = EXPORT.splitlines()
    data = "\n".join(
        [
            "ID," + lines[0],
            *(f"{n}," + line for n, line in zip((7, 8, 7, 9), lines[1:], strict=True)),
        ]
    )
    pending = services.survey_upload(survey=survey, name="e.csv", data=data.encode(), by=cast.qa)
    header, _ = services.read_export(pending.text)
    suggested = mapping.suggest(header, services.instrument_questions(_staff()))
    assert suggested["ID"] == mapping.RESPONSE_ID
    with pytest.raises(services.SurveyImportRejected) as caught:
        services.survey_import(
            pending=pending, column_mapping=suggested, day_first=True, by=cast.inspector_a
        )
    assert caught.value.problems == [
        "Row 4, column 'ID': '7' — expected each response ID once: this one is already at row 2."
    ]


def test_removing_an_import_asks_first_and_says_how_many_responses_go(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    _import_through_the_pages(client, survey, "e.csv", EXPORT.encode())
    page = client.get(reverse("fieldwork:survey", args=[survey.pk])).content.decode()
    batch = survey.imports.get()
    action = reverse("fieldwork:survey-import-delete", args=[survey.pk, batch.pk])
    assert '<details class="ds_details scrutiny-confirm">' in page
    assert f'action="{action}"' in page
    assert "<p>Remove 4 responses from e.csv? They are deleted" in page
    done = client.post(action, follow=True).content.decode()
    assert "Removed the import of 4 responses from e.csv." in done
    assert not SurveyResponse.objects.filter(survey=survey).exists()


def test_cancelling_on_the_mapping_page_deletes_the_upload(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given an upload waiting for its columns to be mapped
    When its uploader cancels on the mapping page
    Then the upload (email column and all) is deleted at once, and the page no longer opens
    """
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    response = client.post(
        reverse("fieldwork:survey-upload", args=[survey.pk]),
        {"file": _upload("export.csv", EXPORT)},
    )
    page = client.get(response["Location"]).content.decode()
    assert "which is never kept" not in page
    assert "every column included, for at most 24 hours; then it is deleted" in page
    pending = PendingSurveyImport.objects.get(survey=survey)
    cancel = reverse("fieldwork:survey-upload-cancel", args=[survey.pk, pending.pk])
    assert f'action="{cancel}"' in page and "Cancel and delete the upload" in page
    done = client.post(cancel, follow=True).content.decode()
    assert "Import cancelled: the upload of export.csv has been deleted." in done
    assert not PendingSurveyImport.objects.exists()
    assert client.get(response["Location"]).status_code == 404


def test_unfinished_uploads_older_than_a_day_are_deleted_when_any_import_runs(
    cast: Any, inspection_a: Any
) -> None:
    """
    Given an upload left unmapped for 25 hours, and another for an hour
    When someone else starts a survey upload, or a pre-inspection return import
    Then the 25-hour-old upload is deleted (and not offered before that), the other kept
    """
    survey = _survey(inspection_a, cast.inspector_a)
    old = services.survey_upload(survey=survey, name="o.csv", data=EXPORT.encode(), by=cast.qa)
    recent = services.survey_upload(
        survey=survey, name="r.csv", data=EXPORT.encode(), by=cast.inspector_a
    )
    now = timezone.now()
    PendingSurveyImport.objects.filter(pk=old.pk).update(uploaded_at=now - timedelta(hours=25))
    PendingSurveyImport.objects.filter(pk=recent.pk).update(uploaded_at=now - timedelta(hours=1))
    kept = services.PENDING_KEPT
    assert selectors.pending_import(survey=survey, pk=old.pk, kept=kept) is None
    assert selectors.pending_import(survey=survey, pk=recent.pk, kept=kept) is not None
    services.return_import(
        inspection=inspection_a, name="r.csv", data=return_csv(3), as_at=AS_AT, by=cast.lead_a
    )
    assert list(PendingSurveyImport.objects.values_list("pk", flat=True)) == [recent.pk]
    PendingSurveyImport.objects.filter(pk=recent.pk).update(uploaded_at=now - timedelta(hours=25))
    other = _survey(inspection_a, cast.inspector_a)
    services.survey_upload(survey=other, name="n.csv", data=EXPORT.encode(), by=cast.lead_a)
    assert list(PendingSurveyImport.objects.values_list("survey", flat=True)) == [other.pk]


def test_an_import_completing_deletes_expired_uploads(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    old = services.survey_upload(survey=survey, name="o.csv", data=EXPORT.encode(), by=cast.qa)
    mine = services.survey_upload(
        survey=survey, name="m.csv", data=EXPORT.encode(), by=cast.inspector_a
    )
    header, _ = services.read_export(mine.text)
    PendingSurveyImport.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - timedelta(hours=25)
    )
    services.survey_import(
        pending=mine,
        column_mapping=mapping.suggest(header, services.instrument_questions(_staff())),
        day_first=True,
        by=cast.inspector_a,
    )
    assert not PendingSurveyImport.objects.exists()


def test_it_reads_an_export_separated_by_semicolons(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    assert _import(survey, EXPORT.replace(",", ";")).new == 4
    assert SurveyResponse.objects.filter(survey=survey, agency="Police Scotland").count() == 1


def test_a_binary_file_is_not_taken_for_a_survey_export(cast: Any, inspection_a: Any) -> None:
    survey = _survey(inspection_a, cast.inspector_a)
    with pytest.raises(services.FieldworkError) as caught:
        services.survey_upload(
            survey=survey, name="export.csv", data=b"PK\x03\x04\x14\x00\x06\x00", by=cast.qa
        )
    assert str(caught.value).startswith("export.csv is not a CSV file (it is not UTF-8 or")
    assert not PendingSurveyImport.objects.exists()


# --- changing and deleting a survey ------------------------------------------------------------


def test_a_survey_without_responses_is_changed_and_deleted_after_confirming(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a survey with the wrong dates and no responses
    When the team corrects its title, questions and dates, then deletes it
    Then each change is saved, and the survey is gone
    """
    survey = _survey(inspection_a, cast.inspector_a)
    client = as_user(cast.inspector_a)
    edit = reverse("fieldwork:survey-edit", args=[survey.pk])
    page = client.get(reverse("fieldwork:survey", args=[survey.pk])).content.decode()
    assert edit in page and "Delete<span" in page
    children = SurveyInstrument.objects.get(slug="scrutiny-children-survey")
    response = client.post(
        edit,
        {
            "instrument": children.pk,
            "title": "Children's survey",
            "opens_on": "2026-03-02",
            "closes_on": "2026-03-20",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.title, survey.instrument, survey.opens_on, survey.closes_on) == (
        "Children's survey",
        children,
        date(2026, 3, 2),
        date(2026, 3, 20),
    )
    response = client.post(reverse("fieldwork:survey-delete", args=[survey.pk]))
    assert response["Location"] == reverse("fieldwork:surveys", args=[inspection_a.pk])
    assert not Survey.objects.filter(pk=survey.pk).exists()


def test_a_survey_with_responses_keeps_them_inside_its_dates_and_cannot_be_deleted(
    cast: Any, inspection_a: Any
) -> None:
    """
    Given a survey with responses from 5 to 7 March 2026
    When its dates are changed to leave some out, or it is deleted
    Then both are refused, saying why; dates that still hold them all are saved
    """
    survey = _survey(inspection_a, cast.inspector_a)
    _import(survey, EXPORT)
    with pytest.raises(services.FieldworkError) as caught:
        services.survey_update(
            survey=survey,
            title=survey.title,
            opens_on=date(2026, 3, 6),
            closes_on=date(2026, 3, 31),
        )
    assert str(caught.value) == (
        "Its 4 responses were submitted from 5 March 2026 to 7 March 2026: the survey must be "
        "open on each of those days."
    )
    with pytest.raises(services.FieldworkError, match="cannot change the survey's questions"):
        services.survey_update(
            survey=survey,
            title=survey.title,
            instrument=SurveyInstrument.objects.get(slug="scrutiny-parents-survey"),
        )
    services.survey_update(
        survey=survey, title="Staff survey 2026", opens_on=date(2026, 3, 5), closes_on=None
    )
    survey.refresh_from_db()
    assert (survey.title, survey.opens_on) == ("Staff survey 2026", date(2026, 3, 5))
    with pytest.raises(services.FieldworkError, match="has 4 responses"):
        services.survey_delete(survey=survey)
    assert Survey.objects.filter(pk=survey.pk).exists()
