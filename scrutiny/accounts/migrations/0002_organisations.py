from django.db import migrations


def load(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Partnership = apps.get_model("places", "Partnership")
    Organisation.objects.get_or_create(name="Care Inspectorate", defaults={"kind": "inspectorate"})
    for partnership in Partnership.objects.all():
        Organisation.objects.get_or_create(
            partnership=partnership, defaults={"name": partnership.name, "kind": "partnership"}
        )


def unload(apps, schema_editor):
    apps.get_model("accounts", "Organisation").objects.filter(user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("places", "0002_load_council_areas")]
    operations = [migrations.RunPython(load, unload)]
