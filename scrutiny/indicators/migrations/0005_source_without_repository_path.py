"""The child-level indicators' source named a file of the code repository, which means nothing
to the public who read it: it now names the returns and Scrutiny only."""

from django.db import migrations

OLD = (
    "Child-level looked-after and child protection returns, computed by Scrutiny "
    '(docs/data-dictionary.md, "Child-level data for indicators")'
)
NEW = "Child-level looked-after and child protection returns, computed by Scrutiny"


def forwards(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(source=OLD).update(source=NEW)


def backwards(apps, schema_editor):
    apps.get_model("indicators", "Indicator").objects.filter(source=NEW).update(source=OLD)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_links_to_areas_only")]

    operations = [migrations.RunPython(forwards, backwards)]
