from types import SimpleNamespace

from django.db import migrations

from scrutiny.fieldwork.loader import load_defaults

NAMES = [
    "ReadingTemplate",
    "TemplateSection",
    "TemplateQuestion",
    "SurveyInstrument",
    "InstrumentQuestion",
]


def load(apps, schema_editor):
    load_defaults(SimpleNamespace(**{name: apps.get_model("fieldwork", name) for name in NAMES}))


def unload(apps, schema_editor):
    from scrutiny.fieldwork.loader import INSTRUMENT_FILES, TEMPLATE_FILES, read

    template_slugs = [read(name)["slug"] for name in TEMPLATE_FILES]
    instrument_slugs = [read(name)["slug"] for name in INSTRUMENT_FILES]
    apps.get_model("fieldwork", "ReadingTemplate").objects.filter(
        slug__in=template_slugs, version=1
    ).delete()
    apps.get_model("fieldwork", "SurveyInstrument").objects.filter(
        slug__in=instrument_slugs, version=1
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
