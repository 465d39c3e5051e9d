from django.db import migrations
from django.utils.text import slugify

from scrutiny.places.models import SCOTLAND_CODE
from scrutiny.places.reference import alias_rows, council_rows


def load(apps, schema_editor):
    Area = apps.get_model("places", "Area")
    AreaAlias = apps.get_model("places", "AreaAlias")
    Partnership = apps.get_model("places", "Partnership")
    Area.objects.get_or_create(code=SCOTLAND_CODE, defaults={"name": "Scotland", "kind": "country"})
    for row in council_rows():
        area, _ = Area.objects.get_or_create(
            code=row.code, defaults={"name": row.name, "kind": "council", "island": row.island}
        )
        Partnership.objects.get_or_create(
            area=area,
            defaults={
                "name": f"{row.name} Community Planning Partnership",
                "slug": slugify(row.name),
            },
        )
    for row in alias_rows():
        AreaAlias.objects.get_or_create(
            alias=row.alias,
            defaults={"area": Area.objects.get(code=row.code), "kind": row.kind, "note": row.note},
        )


def unload(apps, schema_editor):
    apps.get_model("places", "Partnership").objects.all().delete()
    apps.get_model("places", "AreaAlias").objects.all().delete()
    apps.get_model("places", "Area").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
