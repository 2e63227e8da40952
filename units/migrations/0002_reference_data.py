from django.db import migrations

from units import reference


def create(apps, schema_editor):
    reference.ensure(apps.get_model("units", "UnitType"), apps.get_model("units", "LineOfWork"))


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
