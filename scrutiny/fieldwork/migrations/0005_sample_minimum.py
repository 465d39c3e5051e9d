"""Samples keep the minimum per stratum they were drawn with, so a draw can be repeated.

Samples drawn before it was kept get the smallest minimum that gives their stored allocation
(the records drawn depend only on the allocation, the strata and the seed, so this minimum
draws the same records again), marked as worked out from the allocation. A sample whose
allocation no minimum gives gets the default, 0, marked as not known.
"""

from django.db import migrations, models

from scrutiny.analysis import sampling


def minimum_from_allocation(allocation, size):
    """The smallest minimum whose allocation is the stored one, or None."""
    populations = {line["stratum"]: line["population"] for line in allocation}
    stored = {line["stratum"]: line["allocated"] for line in allocation}
    for minimum in range(max(stored.values(), default=0) + 1):
        try:
            lines = sampling.allocate(populations=populations, size=size, minimum=minimum)
        except sampling.SamplingError:
            return None
        if {line.stratum: line.allocated for line in lines} == stored:
            return minimum
    return None


def record(apps, schema_editor):
    sample = apps.get_model("fieldwork", "Sample")
    for found in sample.objects.only("pk", "size", "allocation"):
        minimum = minimum_from_allocation(found.allocation, found.size)
        found.minimum = 0 if minimum is None else minimum
        found.minimum_source = "default" if minimum is None else "allocation"
        found.save(update_fields=["minimum", "minimum_source"])


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0004_evidence_sources_without_counts")]

    operations = [
        migrations.AddField(
            model_name="sample",
            name="minimum",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Records guaranteed to each stratum.",
                verbose_name="minimum per stratum",
            ),
        ),
        migrations.AddField(
            model_name="sample",
            name="minimum_source",
            field=models.CharField(
                choices=[
                    ("recorded", "Recorded when the sample was drawn"),
                    ("allocation", "Worked out from the allocation"),
                    ("default", "Not known: the default is shown"),
                ],
                default="recorded",
                max_length=20,
            ),
        ),
        migrations.RunPython(record, migrations.RunPython.noop),
    ]
