"""Upgrading a database: a chart's link to an action becomes that action's own measure."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scrutiny.demo import builder
from scrutiny.indicators.catalogue import catalogue_load

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("indicators", "0003_series_baseline_and_rebases"),
    ("improvement", "0002_default_progress_scale"),
    ("inspections", "0003_young_peoples_version"),
]
AFTER = [("indicators", "0004_links_to_areas_only")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_links_to_actions_move_to_the_actions_measures() -> None:
    # A transactional test may follow one that emptied the tables the migrations fill.
    builder.ensure_reference_data()
    old = _migrate(BEFORE)
    try:
        catalogue_load(old.get_model("indicators", "Indicator"))
        partnership = old.get_model("places", "Partnership").objects.get(slug="south-ayrshire")
        organisation, _ = old.get_model("accounts", "Organisation").objects.get_or_create(
            partnership=partnership,
            defaults={"name": "South Ayrshire staff", "kind": "partnership"},
        )
        user = old.get_model("accounts", "User").objects.create(
            email="lead@example.org", role="partnership_lead", organisation=organisation
        )
        inspection = old.get_model("inspections", "Inspection").objects.create(
            partnership=partnership,
            title="Joint inspection",
            status="published",
            model="A",
            framework_version=old.get_model("frameworks", "FrameworkVersion").objects.first(),
        )
        plan = old.get_model("improvement", "ActionPlan").objects.create(
            partnership=partnership, inspection=inspection, created_by=user
        )
        action = old.get_model("improvement", "Action").objects.create(
            plan=plan,
            number=1,
            title="Family group decision making",
            owner_user=user,
            lead_agency="Council",
            start_date=date(2016, 10, 1),
            due_date=date(2030, 3, 31),
        )
        indicator = old.get_model("indicators", "Indicator").objects.get(key="lac_away_11_15")
        series = old.get_model("indicators", "IndicatorSeries").objects.create(
            partnership=partnership, indicator=indicator
        )
        content_types = old.get_model("contenttypes", "ContentType").objects
        action_type, _ = content_types.get_or_create(app_label="improvement", model="action")
        old.get_model("indicators", "IndicatorLink").objects.create(
            series=series,
            content_type=action_type,
            object_id=action.pk,
            label="Action 1",
            added_by=user,
        )
        # A link to an action deleted since (nothing removed such links): dropped, not copied.
        gone = old.get_model("improvement", "Action").objects.create(
            plan=plan,
            number=2,
            title="Deleted later",
            owner_user=user,
            lead_agency="Council",
            start_date=date(2016, 10, 1),
            due_date=date(2030, 3, 31),
        )
        other_series = old.get_model("indicators", "IndicatorSeries").objects.create(
            partnership=partnership,
            indicator=old.get_model("indicators", "Indicator").objects.get(key="lac_total"),
        )
        old.get_model("indicators", "IndicatorLink").objects.create(
            series=other_series,
            content_type=action_type,
            object_id=gone.pk,
            label="Action 2",
            added_by=user,
        )
        gone.delete()
        new = _migrate(AFTER)
        measure = new.get_model("improvement", "ActionMeasure").objects.get()
        assert measure.action_id == action.pk and measure.object_id == series.pk
        assert measure.content_type.model == "indicatorseries"
        assert (
            measure.label
            == "Looked after away from home, aged 11 to 15 — South Ayrshire (SPC chart)"
        )
        assert not new.get_model("indicators", "IndicatorLink").objects.exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
