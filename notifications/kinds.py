"""Every kind of notice: its name in the settings screen, its subject and body
(English message ids with %(name)s placeholders filled from the notice's
params, translated into the reader's language when read or sent), and whether
it is mandatory (always e-mailed at once, whatever the person chose).

To add a kind: add a ``Kind`` to ``KINDS`` below (or call ``register`` from
your app's ``apps.py`` ``ready()``), give its strings Korean translations in
``notifications/locale/ko`` (and list them in ``locale/en``), and call
``notifications.services.notify(kind="your_code", ...)`` from a service.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    subject: Promise
    body: Promise
    # Deadlines, returns and results: e-mailed at once, never only in the inbox.
    mandatory: bool = False
    # Who receives it (the settings screen shows a person the kinds of their roles).
    roles: tuple[str, ...] = field(default_factory=tuple)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    known = KINDS.get(kind.code)
    if known is not None and known != kind:
        raise ValueError(f"Two kinds of notice named {kind.code!r}: keep one.")
    KINDS[kind.code] = kind
    return kind


def get(code: str) -> Kind:
    """The kind of this code; an unknown code is a programming error."""
    try:
        return KINDS[code]
    except KeyError:
        raise LookupError(
            f"No kind of notice {code!r}: add it to notifications/kinds.py."
        ) from None


def label_of(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code


CITY = (Role.CITY_MANAGER,)
OFFICER = (Role.DISTRICT_OFFICER,)
APPROVER = (Role.DISTRICT_APPROVER,)
DISTRICT = (Role.DISTRICT_OFFICER, Role.DISTRICT_APPROVER)
REVIEWER = (Role.REVIEWER,)

for _kind in (
    # --- monthly reports ---
    Kind(
        "report_submitted",
        _("A monthly report reached the city"),
        _("[Sangsaeng] Monthly report %(month)s of %(project)s submitted"),
        _(
            "%(district)s submitted the monthly report %(month)s of %(project)s. "
            "Please accept it or return it with a comment."
        ),
        roles=CITY,
    ),
    Kind(
        "report_awaiting_signoff",
        _("A monthly report awaits your sign-off"),
        _("[Sangsaeng] Monthly report %(month)s of %(project)s awaits your sign-off"),
        _(
            "The monthly report %(month)s of %(project)s awaits your sign-off "
            "before it goes to the city."
        ),
        roles=APPROVER,
    ),
    Kind(
        "report_accepted",
        _("A monthly report was accepted"),
        _("[Sangsaeng] Monthly report %(month)s of %(project)s accepted"),
        _(
            "The monthly report %(month)s of %(project)s, version %(version)s, "
            "was accepted."
        ),
        roles=DISTRICT,
    ),
    Kind(
        "report_returned",
        _("A monthly report was returned"),
        _("[Sangsaeng] Monthly report %(month)s of %(project)s returned"),
        _(
            "The monthly report %(month)s of %(project)s, version %(version)s, "
            "was returned. Please correct it and submit it again."
        ),
        mandatory=True,
        roles=OFFICER,
    ),
    Kind(
        "report_due",
        _("A monthly report is due or overdue"),
        _("[Sangsaeng] Monthly report %(month)s of %(project)s is due"),
        _("Please file the monthly report %(month)s of %(project)s."),
        mandatory=True,
        roles=OFFICER,
    ),
    # --- proposals ---
    Kind(
        "proposal_submitted",
        _("A proposal was received"),
        _("[Sangsaeng] Proposal received %(receipt)s"),
        _("The proposal '%(title)s' to '%(call)s' was received as %(receipt)s."),
        roles=CITY + OFFICER,
    ),
    Kind(
        "proposal_awaiting_signoff",
        _("A proposal awaits your sign-off"),
        _("[Sangsaeng] Proposal '%(title)s' awaits your sign-off"),
        _(
            "The proposal '%(title)s' to '%(call)s' awaits your sign-off "
            "before it goes to the city."
        ),
        roles=APPROVER,
    ),
    Kind(
        "proposal_returned",
        _("A proposal was returned"),
        _("[Sangsaeng] Proposal '%(title)s' returned"),
        _(
            "The proposal '%(title)s' to '%(call)s' was returned. Please "
            "correct it and submit it again."
        ),
        mandatory=True,
        roles=OFFICER,
    ),
    # --- change requests ---
    Kind(
        "change_request_proposed",
        _("A change request awaits the city's decision"),
        _("[Sangsaeng] Change request for %(project)s"),
        _(
            "%(district)s asks to change the plan of %(project)s. Please "
            "approve or reject it."
        ),
        roles=CITY,
    ),
    Kind(
        "change_request_decided",
        _("A change request was decided"),
        _("[Sangsaeng] Change request for %(project)s: %(decision)s"),
        _("The city decided the change request for %(project)s: %(decision)s."),
        roles=DISTRICT,
    ),
    # --- final reports and closing (closeout) ---
    Kind(
        "final_report_submitted",
        _("A final report awaits the city's review"),
        _("[Sangsaeng] Final report of %(project)s"),
        _(
            "%(district)s submitted the final report of %(project)s. Please accept "
            "it or return it with a comment."
        ),
        roles=CITY,
    ),
    Kind(
        "final_report_decided",
        _("A final report was decided"),
        _("[Sangsaeng] Final report of %(project)s: %(decision)s"),
        _("The city decided the final report of %(project)s: %(decision)s."),
        mandatory=True,
        roles=DISTRICT,
    ),
    Kind(
        "project_closed",
        _("A project was closed"),
        _("[Sangsaeng] %(project)s is closed"),
        _(
            "The city closed %(project)s: no more reports, changes or payments are "
            "made for it."
        ),
        roles=DISTRICT,
    ),
    Kind(
        "project_reopened",
        _("A closed project was reopened"),
        _("[Sangsaeng] %(project)s is reopened"),
        _("The city reopened %(project)s."),
        mandatory=True,
        roles=DISTRICT,
    ),
    # --- review and results ---
    Kind(
        "reviewer_appointed",
        _("You were appointed to a reviewer panel"),
        _("[Sangsaeng] You are a reviewer of %(call)s"),
        _(
            "You were appointed to the reviewer panel of '%(call)s'. Sign the "
            "pledges, declare any conflict of interest and score the proposals "
            "assigned to you."
        ),
        roles=REVIEWER,
    ),
    Kind(
        "reviewer_assigned",
        _("Proposals were assigned to you for review"),
        _("[Sangsaeng] Proposals to review: %(call)s"),
        _(
            "%(count)s proposal(s) of '%(call)s' were assigned to you. Declare "
            "any conflict of interest, then score each one."
        ),
        roles=REVIEWER,
    ),
    Kind(
        "results_published",
        _("The results of a call were published"),
        _("[Sangsaeng] Results: %(call)s"),
        _("The results of '%(call)s' for %(district)s:\n%(outcomes)s"),
        mandatory=True,
        roles=DISTRICT,
    ),
    Kind(
        "conflict_declared",
        _("A reviewer declared a conflict of interest"),
        _("[Sangsaeng] Conflict declared — reassign: %(receipt)s"),
        _(
            "Reviewer %(reviewer)s declared a conflict of interest with “%(title)s” "
            "(%(district)s, %(receipt)s); the assignment is removed. Please assign "
            "another reviewer."
        ),
        roles=CITY,
    ),
    Kind(
        "tie_recorded",
        _("A reviewer's tie to a district was recorded"),
        _("[Sangsaeng] Tie recorded — review to reassign: %(reviewer)s"),
        _("A tie between reviewer %(reviewer)s and %(organisation)s was recorded."),
        roles=CITY,
    ),
    Kind(
        "evaluation_scoring_reminder",
        _("Projects wait for your year-end score"),
        _("[Sangsaeng] Year-end evaluation: %(count)s projects to score"),
        _(
            "%(left)s of the %(total)s projects of the %(year)s evaluation of "
            "'%(call)s' wait for your qualitative score. Open 'Year-end "
            "evaluation' in Sangsaeng to score them."
        ),
        roles=REVIEWER,
    ),
    # --- objections and presentations ---
    Kind(
        "objection_submitted",
        _("A district objected to a decision"),
        _("[Sangsaeng] Objection: %(receipt)s %(title)s"),
        _(
            "%(district)s objected to the decision on %(receipt)s %(title)s "
            "(%(call)s). Please answer it."
        ),
        roles=CITY,
    ),
    Kind(
        "objection_answered",
        _("The city answered an objection"),
        _("[Sangsaeng] Answer to your objection: %(receipt)s"),
        _(
            "The city answered the objection about %(receipt)s %(title)s.\n"
            "Outcome: %(outcome)s\n\n%(answer)s"
        ),
        mandatory=True,
        roles=DISTRICT,
    ),
    Kind(
        "presentation_timetable",
        _("A presentation timetable was sent"),
        _("[Sangsaeng] Presentation timetable: %(call)s"),
        _("The presentation timetable of '%(call)s' (Seoul time):\n%(slots)s"),
        mandatory=True,
        roles=DISTRICT + REVIEWER,
    ),
    # --- settlements (정산) ---
    Kind(
        "settlement_submitted",
        _("A settlement reached the city"),
        _("[Sangsaeng] Settlement of %(project)s submitted"),
        _(
            "The settlement of %(project)s was submitted. Please check it and "
            "accept it or return it with a comment."
        ),
        roles=CITY,
    ),
    Kind(
        "settlement_returned",
        _("A settlement was returned"),
        _("[Sangsaeng] Settlement of %(project)s returned"),
        _(
            "The settlement of %(project)s was returned. Please correct it as the "
            "city's comment says and submit it again."
        ),
        mandatory=True,
        roles=OFFICER,
    ),
    Kind(
        "settlement_accepted",
        _("A settlement was accepted"),
        _("[Sangsaeng] Settlement of %(project)s accepted"),
        _(
            "The settlement of %(project)s was accepted. Amount to return to the "
            "city: %(returned)s."
        ),
        mandatory=True,
        roles=DISTRICT,
    ),
    Kind(
        "settlement_due",
        _("A settlement is due"),
        _("[Sangsaeng] Settlement of %(project)s due"),
        _("Please file the settlement of %(project)s by %(due)s."),
        mandatory=True,
        roles=OFFICER,
    ),
    # --- from the city ---
    Kind(
        "announcement",
        _("An announcement from the city"),
        _("[Sangsaeng] %(title)s"),
        _("%(text)s"),
        roles=CITY + DISTRICT + REVIEWER,
    ),
):
    register(_kind)
