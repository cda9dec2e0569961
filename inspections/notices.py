"""The kinds of notice of site visits, registered with ``notifications.kinds``
when the app is ready: a finding recorded or returned reaches the district, an
answer reaches the city."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import CITY, DISTRICT, Kind, register

FINDING_RECORDED = register(
    Kind(
        "finding_recorded",
        _("A site visit recorded a finding"),
        _("[Sangsaeng] Site visit finding to correct: %(project)s"),
        _(
            "The city's site visit of %(project)s recorded a finding (%(severity)s).\n"
            "Finding: %(finding)s\n"
            "Corrective action: %(action)s\n"
            "Due by %(due)s. Answer it with the evidence of the correction."
        ),
        mandatory=True,
        roles=DISTRICT,
    )
)
FINDING_RETURNED = register(
    Kind(
        "finding_returned",
        _("The city returned an answer to a finding"),
        _("[Sangsaeng] Finding returned: %(project)s"),
        _(
            "The city did not accept the answer to the finding of %(project)s:\n"
            "%(finding)s\n"
            "Corrective action: %(action)s (due by %(due)s). See the city's "
            "comment and answer again."
        ),
        mandatory=True,
        roles=DISTRICT,
    )
)
FINDING_ANSWERED = register(
    Kind(
        "finding_answered",
        _("A district answered a finding"),
        _("[Sangsaeng] Finding answered: %(project)s (%(district)s)"),
        _(
            "%(district)s answered the finding of %(project)s:\n%(finding)s\n"
            "Close it, or return it with a comment."
        ),
        roles=CITY,
    )
)
