from django.db import migrations


def forwards(apps, schema_editor):
    from indicators.builtins import ensure_core

    ensure_core(
        apps.get_model("indicators", "Indicator"),
        apps.get_model("indicators", "ValidationRule"),
    )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_catalogue")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
