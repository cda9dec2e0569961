import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competitions", "0004_review_ties_after_the_fact"),
        ("indicators", "0002_core_indicators_and_default_rules"),
    ]

    operations = [
        migrations.CreateModel(
            name="CallIndicator",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                (
                    "indicator",
                    models.ForeignKey(
                        limit_choices_to={"is_active": True, "is_core": False},
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="indicators.indicator",
                        verbose_name="indicator",
                    ),
                ),
                (
                    "page",
                    modelcluster.fields.ParentalKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="indicators",
                        to="competitions.callpage",
                    ),
                ),
            ],
            options={
                "verbose_name": "output indicator",
                "verbose_name_plural": "output indicators",
                "ordering": ["sort_order"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(fields=("page", "indicator"), name="unique_indicator_per_call")
                ],
            },
        ),
        migrations.AddField(
            model_name="proposaloutput",
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
