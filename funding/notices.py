"""The funding app's own kinds of notice, registered with
``notifications.kinds`` when the app is ready (``settlement_due`` and the
other settlement notices are registered there)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import OFFICER, Kind, register

SETTLEMENT_OVERDUE = register(
    Kind(
        "settlement_overdue",
        _("A settlement is overdue"),
        _("[Sangsaeng] Settlement of %(project)s overdue"),
        _(
            "The settlement of %(project)s was due by %(due)s and has not reached "
            "the city. Please file it now."
        ),
        mandatory=True,
        roles=OFFICER,
    )
)
