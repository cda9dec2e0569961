from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0011_manual_reminder"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="sequence",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="1 for the first reminder of its kind; an overdue "
                "month's repeats count on from there.",
                verbose_name="reminder number",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="reminder",
            name="one_reminder_per_kind",
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                fields=("project", "period", "kind", "sequence"),
                name="one_reminder_per_step",
            ),
        ),
    ]
