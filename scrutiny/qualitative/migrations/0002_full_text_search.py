"""The full-text index over segments: FTS5 on SQLite, a tsvector column with GIN on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    from scrutiny.qualitative import search

    search.install(schema_editor)


def backwards(apps, schema_editor):
    from scrutiny.qualitative import search

    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("qualitative", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
