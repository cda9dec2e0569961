from django.db import migrations, models


class Migration(migrations.Migration):
    """A figure's ``measure`` holds its catalogue indicator's code (up to 32
    characters, no fixed choices). On PostgreSQL a longer varchar is a change
    of the catalogue only: no table rewrite of the millions of figures."""

    dependencies = [("reporting", "0008_roster_destruction_ledger")]

    operations = [
        migrations.AlterField(
            model_name="reportvalue",
            name="measure",
            field=models.CharField(max_length=32, verbose_name="indicator"),
        ),
        migrations.AlterField(
            model_name="figureyear",
            name="measure",
            field=models.CharField(max_length=32, verbose_name="indicator"),
        ),
        migrations.AlterField(
            model_name="reportcorrection",
            name="measure",
            field=models.CharField(max_length=32, verbose_name="indicator"),
        ),
    ]
