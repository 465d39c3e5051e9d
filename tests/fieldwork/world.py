"""Fieldwork objects for the authorisation walk."""

from __future__ import annotations

from typing import Any

from scrutiny.fieldwork import services
from scrutiny.fieldwork.models import ReadingTemplate, SurveyInstrument
from tests.fieldwork.helpers import drawn_sample

STAFF_EXPORT = (
    b"Timestamp,Which agency do you work for?,Agencies work well together to support children "
    b"and families.,What works well in services for children and families here?\n"
    b"2026-02-02 10:00:00,NHS health,Agree,Health visitors and social workers talk every week.\n"
    b"2026-02-03 11:30:00,Police Scotland,Strongly agree,\n"
)


def extend(world: Any) -> None:
    inspector = world.cast.inspector_a
    sample = drawn_sample(world.inspection_a, inspector, size=6)
    pair = services.reading_pair_add(
        inspection=world.inspection_a, inspector=inspector, local_reader=world.cast.lead_a
    )
    services.records_assign_evenly(sample=sample)
    record = sample.records.order_by("reference").first()
    assert record is not None
    record.refresh_from_db()
    services.reading_save(record=record, answers={"child-seen": "yes"}, by=inspector)
    record.moderate = True
    record.save(update_fields=["moderate"])
    world.fieldwork_sample = sample
    world.fieldwork_pair = pair
    world.fieldwork_record = record
    world.fieldwork_template = ReadingTemplate.objects.order_by("pk").first()
    staff = SurveyInstrument.objects.get(slug="scrutiny-staff-survey")
    world.fieldwork_instrument = staff
    survey = services.survey_create(
        inspection=world.inspection_a, instrument=staff, title="Staff survey", by=inspector
    )
    pending = services.survey_upload(
        survey=survey, name="export.csv", data=STAFF_EXPORT, by=inspector
    )
    header, _ = services.read_export(pending.text)
    from scrutiny.fieldwork import mapping

    imported = services.survey_import(
        pending=pending,
        column_mapping=mapping.suggest(header, services.instrument_questions(staff)),
        day_first=True,
        by=inspector,
    )
    world.fieldwork_survey = survey
    world.fieldwork_survey_import = imported.batch
    world.fieldwork_pending = services.survey_upload(
        survey=survey, name="export.csv", data=STAFF_EXPORT, by=inspector
    )
