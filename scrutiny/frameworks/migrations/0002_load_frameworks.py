from types import SimpleNamespace

from django.db import migrations

from scrutiny.frameworks.loader import load_all


def load(apps, schema_editor):
    names = ["Scale", "ScaleLevel", "Framework", "FrameworkVersion", "Group", "QualityIndicator"]
    load_all(SimpleNamespace(**{name: apps.get_model("frameworks", name) for name in names}))


def unload(apps, schema_editor):
    for name in [
        "QualityIndicator",
        "Group",
        "FrameworkVersion",
        "Framework",
        "ScaleLevel",
        "Scale",
    ]:
        apps.get_model("frameworks", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
