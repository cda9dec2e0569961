import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("indicators", "0002_core_indicators_and_default_rules"),
        ("competitions", "0006_indicator_catalogue_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="planoutput",
            name="indicator",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="indicators.indicator",
                verbose_name="indicator",
            ),
        ),
    ]
