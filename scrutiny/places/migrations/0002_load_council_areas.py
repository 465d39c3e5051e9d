from django.db import migrations

from scrutiny.places.reference import load_reference


def load(apps, schema_editor):
    load_reference(
        apps.get_model("places", "Area"),
        apps.get_model("places", "AreaAlias"),
        apps.get_model("places", "Partnership"),
    )


def unload(apps, schema_editor):
    apps.get_model("places", "Partnership").objects.all().delete()
    apps.get_model("places", "AreaAlias").objects.all().delete()
    apps.get_model("places", "Area").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
