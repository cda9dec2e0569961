from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_plan_output_indicator_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="changerequest",
            name="in_force_before",
            field=models.JSONField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="values in force when decided",
            ),
        ),
    ]
