import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("competitions", "0013_objections_and_presentation_reviews"),
    ]

    operations = [
        migrations.AddField(
            model_name="callpage",
            name="reminder_days_before",
            field=models.PositiveSmallIntegerField(
                default=3,
                help_text="0 for no reminder before the due day.",
                validators=[django.core.validators.MaxValueValidator(27)],
                verbose_name="first reminder (days before the due day)",
            ),
        ),
        migrations.AddField(
            model_name="callpage",
            name="reminder_repeat_days",
            field=models.PositiveSmallIntegerField(
                default=7,
                help_text="After the due day the reminder is sent again at this "
                "interval until the report arrives. 0 sends it once.",
                validators=[django.core.validators.MaxValueValidator(90)],
                verbose_name="repeat an overdue reminder every (days)",
            ),
        ),
        migrations.AddField(
            model_name="callpage",
            name="reminder_max_overdue",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Leave empty to remind until the report arrives.",
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="at most this many overdue reminders",
            ),
        ),
    ]
