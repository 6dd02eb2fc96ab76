from django.db import migrations

LEVELS = [
    ("tinh", "Tỉnh, thành phố", 1),
    ("so", "Sở, ban, ngành", 2),
    ("huyen", "Huyện, quận, thị xã, thành phố thuộc tỉnh", 3),
    ("xa", "Xã, phường, thị trấn", 4),
]


def create(apps, schema_editor):
    Level = apps.get_model("organisations", "Level")
    for code, name, order in LEVELS:
        Level.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
