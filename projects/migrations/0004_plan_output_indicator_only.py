import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0003_plan_output_indicator_data"),
        # The reports' output figures are renamed by the plans' old codes first.
        ("reporting", "0010_output_figures_by_indicator"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="planoutput", name="unique_plan_output"),
        migrations.RemoveField(model_name="planoutput", name="code"),
        migrations.RemoveField(model_name="planoutput", name="name_ko"),
        migrations.RemoveField(model_name="planoutput", name="name_en"),
        migrations.RemoveField(model_name="planoutput", name="unit_ko"),
        migrations.RemoveField(model_name="planoutput", name="unit_en"),
        migrations.AlterField(
            model_name="planoutput",
            name="indicator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="indicators.indicator",
                verbose_name="indicator",
            ),
        ),
        migrations.AddConstraint(
            model_name="planoutput",
            constraint=models.UniqueConstraint(
                fields=("plan", "indicator"), name="one_target_per_plan_indicator"
            ),
        ),
    ]
