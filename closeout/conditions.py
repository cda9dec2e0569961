"""What must hold before a project is closed: a registry of close conditions.

Each condition is ``fn(project) -> str | None``: None when it holds, else the
reason it does not, translated, saying what to do. This app registers "the
final report is accepted"; other apps register their own from their
``AppConfig.ready`` (funding: the settlement accepted; inspections: every
finding closed), so closing never needs to know them::

    from closeout.conditions import register_close_condition
    register_close_condition(settlement_accepted)

Closing asks every condition and shows every unmet one at once.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

CloseCondition = Callable[[object], "str | None"]

_CONDITIONS: list[CloseCondition] = []


def register_close_condition(fn: CloseCondition) -> CloseCondition:
    """Add a condition (once: registering the same function again is a no-op)."""
    if fn not in _CONDITIONS:
        _CONDITIONS.append(fn)
    return fn


def unregister_close_condition(fn: CloseCondition) -> None:
    if fn in _CONDITIONS:
        _CONDITIONS.remove(fn)


def close_conditions() -> list[CloseCondition]:
    return list(_CONDITIONS)


def unmet_close_conditions(project) -> list[str]:
    """The reasons the project may not be closed yet, in registration order."""
    reasons = []
    for condition in _CONDITIONS:
        reason = condition(project)
        if reason:
            reasons.append(str(reason))
    return reasons


def final_report_accepted(project) -> str | None:
    """The built-in condition: the city accepted the project's final report."""
    from .models import FinalReport, FinalReportStatus

    report = FinalReport.objects.filter(project=project).first()
    if report is not None and report.status == FinalReportStatus.ACCEPTED:
        return None
    if report is None or report.status == FinalReportStatus.DRAFT:
        return _(
            "The final report is not submitted yet: the district submits it, then "
            "the city accepts it."
        )
    if report.status == FinalReportStatus.RETURNED:
        return _(
            "The final report was returned to the district: it must be resubmitted "
            "and accepted."
        )
    return _("The final report awaits the city's review: accept it first.")


def register_builtin_conditions() -> None:
    register_close_condition(final_report_accepted)
