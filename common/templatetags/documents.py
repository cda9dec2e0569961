"""``{% print_link "receipt" proposal %}``: the "print / PDF" button of a detail
screen, shown only to whom the document's view would answer (the view asks
``accounts.access`` again: a menu or a button is never the guard)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts import access

register = template.Library()


def _report_url(user, report, version=None) -> str | None:
    """The version shown when it was submitted, else the last one submitted;
    none for a month never sent."""
    from reporting.models import ReportVersion

    versions = access.visible_to(user, ReportVersion).filter(
        report=report, submitted_at__isnull=False
    )
    url = reverse("documents_report_as_submitted", args=[report.pk])
    if version is not None and versions.filter(pk=version.pk).exists():
        return f"{url}?version={version.number}"
    return url if versions.exists() else None


def _url(kind: str, user, obj, version=None) -> tuple[str | None, str]:
    if kind == "receipt":
        allowed = bool(obj.receipt_number) and access.can(
            user, "print_proposal_receipt", obj
        )
        url = reverse("documents_proposal_receipt", args=[obj.pk])
        return (url if allowed else None), _("Proposal receipt")
    if kind == "report":
        return _report_url(user, obj, version), _("Monthly performance report")
    if kind == "selection":
        allowed = access.can(user, "print_selection_result")
        url = reverse("documents_selection_result", args=[obj.pk])
        return (url if allowed else None), _("Selection result")
    if kind == "change":
        # A decision to print: the request itself is on the project page.
        allowed = obj.decided_at is not None and access.can_view(user, obj)
        url = reverse("documents_change_decision", args=[obj.pk])
        return (url if allowed else None), _("Change request decision")
    raise ValueError(kind)


@register.simple_tag(takes_context=True)
def print_link(context, kind: str, obj, version=None, small: bool = False):
    request = context.get("request")
    if request is None or obj is None:
        return ""
    url, document = _url(kind, request.user, obj, version)
    if url is None:
        return ""
    return format_html(
        '<a class="button button-secondary{}" href="{}" data-print-document="{}">'
        '{}<span class="w-sr-only"> — {}</span></a>',
        " button-small" if small else "",
        url,
        kind,
        _("Print / PDF"),
        document,
    )
