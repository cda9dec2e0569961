"""E-mails about reports, each in its recipient's language (their profile's
preferred language, Korean by default): recipients are grouped by language
and each group gets the mail written in theirs."""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import translation

from accounts.language import preferred_language
from accounts.models import User
from accounts.roles import Role
from common.formats import month_label as readable_month
from notifications import recipients
from notifications.rendering import in_languages
from notifications.services import notify
from projects.months import month_label

from .models import ReportStatus


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


# --- hand-offs of a monthly report (issue 23): through notifications.notify ---


def _report_params(report, version) -> dict:
    project = report.project
    return {
        "month": in_languages(lambda: readable_month(report.period)),
        "project": in_languages(lambda: f"{project.code} {project.display_title}"),
        "district": in_languages(lambda: report.district.name),
        "version": version.number,
    }


def _report_link(report) -> str:
    return reverse("reporting_report", args=[report.pk])


def report_reached_city(report, version) -> int:
    """The report reached the city (submitted, or signed off by the
    approver): every city manager is asked to decide it."""
    return notify(
        recipients=recipients.city_managers(),
        kind="report_submitted",
        dedupe_key=f"report-submitted:{version.pk}",
        params=_report_params(report, version),
        link=_report_link(report),
        project=report.project_id,
        call=report.project.call_id,
    )


def report_awaits_signoff(report, version) -> int:
    """The call asks for the district approver's sign-off first."""
    return notify(
        recipients=recipients.district_approvers(report.district),
        kind="report_awaiting_signoff",
        dedupe_key=f"report-awaiting-signoff:{version.pk}",
        params=_report_params(report, version),
        link=_report_link(report),
        project=report.project_id,
        call=report.project.call_id,
    )


def report_decided(version) -> int:
    """Accepted or returned (by the city or the approver): the district's
    officers are told, with the reason when it came back."""
    report = version.report
    returned = version.status == ReportStatus.RETURNED
    if not returned and version.status != ReportStatus.ACCEPTED:
        return 0
    return notify(
        recipients=recipients.district_officers(report.district),
        kind="report_returned" if returned else "report_accepted",
        dedupe_key=f"report-{version.status}:{version.pk}",
        params=_report_params(report, version),
        link=_report_link(report),
        reason=version.decision_comment if returned else "",
        project=report.project_id,
        call=report.project.call_id,
    )
