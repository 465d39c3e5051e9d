from django.db import migrations

from scrutiny.accounts.models import ensure_organisations


def load(apps, schema_editor):
    ensure_organisations(
        apps.get_model("accounts", "Organisation"), apps.get_model("places", "Partnership")
    )


def unload(apps, schema_editor):
    apps.get_model("accounts", "Organisation").objects.filter(users__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("places", "0002_load_council_areas")]
    operations = [migrations.RunPython(load, unload)]
