from django.db import migrations

from scrutiny.improvement.scale import DEFAULT_LEVELS, ensure_default_scale


def load(apps, schema_editor):
    ensure_default_scale(apps.get_model("improvement", "ProgressLevel"))


def unload(apps, schema_editor):
    level = apps.get_model("improvement", "ProgressLevel")
    level.objects.filter(label__in=[label for _, label, _ in DEFAULT_LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("improvement", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
