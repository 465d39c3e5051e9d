"""The evidence items fieldwork wrote were named with counts ("Reading of 12 children's
records", "Staff survey: 46 responses"); the names travel into published progress reviews, so
they are renamed without them, as the services now name them."""

import re

from django.db import migrations

READING = "Children's records read by the team"


def rename(apps, schema_editor):
    sample = apps.get_model("fieldwork", "Sample")
    survey = apps.get_model("fieldwork", "Survey")
    item = apps.get_model("inspections", "EvidenceItem")
    readings = sample.objects.filter(evidence_item__isnull=False).values_list(
        "evidence_item_id", flat=True
    )
    item.objects.filter(pk__in=list(readings), source__startswith="Reading of ").update(
        source=READING
    )
    for found in survey.objects.filter(evidence_item__isnull=False).select_related("evidence_item"):
        evidence = found.evidence_item
        counted = re.search(r": \d+ responses?$", evidence.source)
        if counted and evidence.source.startswith(found.title[:150]):
            evidence.source = found.title[:200]
            evidence.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0003_survey_evidence_item")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
