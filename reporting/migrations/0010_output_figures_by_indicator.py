"""Output figures, stored until now as ("output", the plan's output code), are
stored under their catalogue indicator's code with the key ``total``, so every
total adds figures of one indicator only. See ``indicators.remap``."""

from django.db import migrations


def forwards(apps, schema_editor):
    from indicators.remap import output_codes_of_projects, remap_output_figures

    mapping = output_codes_of_projects(apps.get_model("projects", "PlanOutput"))
    remap_output_figures(
        mapping,
        connection=schema_editor.connection,
        version_model=apps.get_model("reporting", "ReportVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0009_figures_name_their_indicator"),
        ("projects", "0003_plan_output_indicator_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
