"""E-mails about reports, each in its recipient's language (their profile's
preferred language, Korean by default): recipients are grouped by language
and each group gets the mail written in theirs."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation

from accounts.language import preferred_language
from accounts.models import User
from accounts.roles import Role
from projects.months import month_label


def district_officers(district) -> list[User]:
    return list(
        User.objects.filter(
            organisation=district,
            is_active=True,
            groups__role__code=Role.DISTRICT_OFFICER,
        )
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def district_officer_emails(district) -> list[str]:
    return sorted({user.email for user in district_officers(district)})


def emails_by_language(users: Iterable[User]) -> dict[str, list[str]]:
    """language → the e-mail addresses of the users who read it."""
    grouped: dict[str, list[str]] = {}
    for user in users:
        grouped.setdefault(preferred_language(user), []).append(user.email)
    return {language: sorted(set(emails)) for language, emails in grouped.items()}


def in_each_language(
    users: Iterable[User], write: Callable[[], tuple[str, str]]
) -> list[tuple[str, str, list[str]]]:
    """(subject, body, recipients) per language of ``users``: ``write()`` is
    called with each language active."""
    mails = []
    for language, emails in sorted(emails_by_language(users).items()):
        with translation.override(language):
            subject, body = write()
        mails.append((subject, body, emails))
    return mails


def send(messages: list[tuple[str, str, list[str]]]) -> int:
    """(subject, body, recipients) each; mails with no recipient are skipped."""
    datatuple = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        for subject, body, recipients in messages
        if recipients
    ]
    return send_mass_mail(datatuple, fail_silently=False) if datatuple else 0


def month_text(project, period) -> str:
    """The project's code and the month, as subjects name a report."""
    return f"{project.code} {month_label(period)}"
