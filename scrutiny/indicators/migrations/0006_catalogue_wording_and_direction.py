"""Catalogue corrections: the published residential-care figures improve as they fall, as the
child-level residential indicator does; and the other-community titles lose their nested
brackets. Indicators an administrator has since changed are left as they are."""

from django.db import migrations

TITLES = {
    "sgs_lac_count_other_community": (
        "Looked after (in other community placements (kinship care included)), published count",
        "Looked after in other community placements, kinship care included: published count",
    ),
    "sgs_lac_ratio_other_community": (
        "Looked after (in other community placements (kinship care included)) per 1,000 "
        "children, published rate",
        "Looked after in other community placements, kinship care included: published rate per "
        "1,000 children",
    ),
}
DECREASE = ("sgs_lac_count_residential", "sgs_lac_ratio_residential")


def forwards(apps, schema_editor):
    indicator = apps.get_model("indicators", "Indicator")
    for key, (old, new) in TITLES.items():
        indicator.objects.filter(key=key, title=old).update(title=new)
    indicator.objects.filter(key__in=DECREASE, improvement="neutral").update(improvement="decrease")


def backwards(apps, schema_editor):
    indicator = apps.get_model("indicators", "Indicator")
    for key, (old, new) in TITLES.items():
        indicator.objects.filter(key=key, title=new).update(title=old)
    indicator.objects.filter(key__in=DECREASE, improvement="decrease").update(improvement="neutral")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_source_without_repository_path")]

    operations = [migrations.RunPython(forwards, backwards)]
