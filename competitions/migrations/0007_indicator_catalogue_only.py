import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("competitions", "0006_indicator_catalogue_data")]

    operations = [
        migrations.DeleteModel(name="CallOutputIndicator"),
        migrations.RemoveField(model_name="proposaloutput", name="code"),
        migrations.RemoveField(model_name="proposaloutput", name="name"),
        migrations.RemoveField(model_name="proposaloutput", name="unit"),
        migrations.AlterField(
            model_name="proposaloutput",
            name="indicator",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="indicators.indicator",
                verbose_name="indicator",
            ),
        ),
        migrations.AddConstraint(
            model_name="proposaloutput",
            constraint=models.UniqueConstraint(
                fields=("proposal", "indicator"), name="one_target_per_proposal_indicator"
            ),
        ),
    ]
