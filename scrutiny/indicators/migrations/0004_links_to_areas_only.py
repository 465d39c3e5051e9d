"""Links from a chart to an action become the action's own measures (so the action plan shows
them too); a chart's links are then to areas for improvement only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_action_links(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    IndicatorLink = apps.get_model("indicators", "IndicatorLink")
    try:
        Action = apps.get_model("improvement", "Action")
        ActionMeasure = apps.get_model("improvement", "ActionMeasure")
    except LookupError:
        Action = ActionMeasure = None
    series_type, _ = ContentType.objects.get_or_create(
        app_label="indicators", model="indicatorseries"
    )
    links = IndicatorLink.objects.filter(content_type__isnull=False).select_related(
        "content_type", "series__indicator", "series__partnership__area"
    )
    dropped = 0
    for link in links:
        kind = (link.content_type.app_label, link.content_type.model)
        # Only actions could be linked this way; a link to an action deleted since (nothing
        # removed such links) has nothing left to point at.
        if (
            ActionMeasure is not None
            and kind == ("improvement", "action")
            and Action.objects.filter(pk=link.object_id).exists()
        ):
            series = link.series
            ActionMeasure.objects.get_or_create(
                action_id=link.object_id,
                content_type=series_type,
                object_id=series.pk,
                defaults={
                    "label": f"{series.indicator.title} — {series.partnership.area.name} "
                    "(SPC chart)"[:300],
                    "note": "",
                    "added_by_id": link.added_by_id,
                    "added_at": link.added_at,
                },
            )
        else:
            dropped += 1
        link.delete()
    if dropped:
        print(f"\n  {dropped} chart link(s) to deleted actions or other objects were dropped.")


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_series_baseline_and_rebases"),
        ("inspections", "0003_young_peoples_version"),
        ("improvement", "0002_default_progress_scale"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_action_links, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="indicatorlink",
            name="indicator_link_one_target",
        ),
        migrations.RemoveConstraint(
            model_name="indicatorlink",
            name="indicator_link_area_once",
        ),
        migrations.RemoveConstraint(
            model_name="indicatorlink",
            name="indicator_link_object_once",
        ),
        migrations.AlterField(
            model_name="indicatorlink",
            name="area_for_improvement",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="indicator_links",
                to="inspections.areaforimprovement",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorlink",
            constraint=models.UniqueConstraint(
                fields=("series", "area_for_improvement"), name="indicator_link_area_once"
            ),
        ),
        migrations.RemoveField(
            model_name="indicatorlink",
            name="content_type",
        ),
        migrations.RemoveField(
            model_name="indicatorlink",
            name="object_id",
        ),
    ]
