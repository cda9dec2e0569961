"""E-mails about reports. Bilingual bodies: one mail serves both languages."""

from django.conf import settings
from django.core.mail import send_mass_mail

from accounts.models import User
from accounts.roles import Role
from projects.months import month_label


def district_officer_emails(district) -> list[str]:
    return sorted(
        User.objects.filter(
            organisation=district,
            is_active=True,
            groups__role__code=Role.DISTRICT_OFFICER,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def send(messages: list[tuple[str, str, list[str]]]) -> int:
    """(subject, body, recipients) each; mails with no recipient are skipped."""
    datatuple = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        for subject, body, recipients in messages
        if recipients
    ]
    return send_mass_mail(datatuple, fail_silently=False) if datatuple else 0


def month_text(project, period) -> tuple[str, str]:
    return (
        f"{project.code} {project.title} {month_label(period)}",
        f"{project.code} {month_label(period)}",
    )
