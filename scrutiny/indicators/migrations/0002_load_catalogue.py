from django.db import migrations

from scrutiny.indicators.catalogue import catalogue_entries, catalogue_load


def load(apps, schema_editor):
    catalogue_load(apps.get_model("indicators", "Indicator"))


def unload(apps, schema_editor):
    keys = [entry["key"] for entry in catalogue_entries()]
    apps.get_model("indicators", "Indicator").objects.filter(
        key__in=keys, partnership__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
