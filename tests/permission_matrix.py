"""The permission matrix: every URL of the admin, the public site and the API,
and what each role gets when it opens it.

``tests/test_permission_matrix.py`` walks Django's whole URL resolver and asks
this module for the expectation of every URL name it finds. A URL name with no
entry here (or with more than one) fails, naming the URL and the line to add, so
a new screen cannot ship without someone deciding who may open it.

* ``ENTRIES``: our own URLs, one line each, keyed by URL name (``namespace:name``;
  an unnamed pattern by its route). Adding a URL is one line, e.g.
  ``"audit_export": Entry(city_only(NOT_FOUND)),`` (plus ``kwargs=`` when its
  arguments are not in ``DEFAULT_KWARGS``).
* ``RULES``: Wagtail's own admin areas (hundreds of URLs) by URL-name prefix,
  with expectations that follow from ``accounts/roles.py``: city managers hold
  the page-tree, document, image and user permissions; no other role holds any
  Wagtail permission beyond ``access_admin``.
* ``PAGE_TYPES``: the public site. Wagtail serves pages through one catch-all
  URL, so the test opens every live page of the demo, by page type.

Each expectation maps a role to an outcome of a GET (``OK``, ``LOGIN``,
``FORBIDDEN``, ``NOT_FOUND``, ``DENIED`` = either, ``METHOD``, ...). Where the
access module promises a 404 (an object the role may not see), the cell says
``NOT_FOUND``, not ``DENIED``. A cell that shows a known access bug keeps the
right outcome and names the bug in ``xfail`` (a strict xfail: fixing the bug
makes the test say so).

Objects in URLs come from the demo (``seed_demo``'s loaders), 부평구's
(Bupyeong-gu) wherever a district owns them, so the 서구 (Seo-gu) officer's
refusal means something. ``o`` in the lambdas is the namespace of objects built
by ``_objects()`` in the test module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

# --- roles ------------------------------------------------------------------
# The demo accounts stand for the roles (see accounts/demo.py). The reviewer is
# reviewer2, who declared a tie with 부평구 for the 2020 call: they were not
# assigned 부평구's 2020 proposal, so it stays out of their reach, while the 2018
# proposal they scored (before the tie) remains theirs to read.

ANONYMOUS = "anonymous"
CITY_MANAGER = "city_manager"
REVIEWER = "reviewer"
DISTRICT_OFFICER = "district_officer"
DISTRICT_APPROVER = "district_approver"
OTHER_DISTRICT_OFFICER = "other_district_officer"
SUPERUSER = "superuser"

DEMO_USERNAMES = {
    CITY_MANAGER: "city",
    REVIEWER: "reviewer2",
    DISTRICT_OFFICER: "bupyeong",
    DISTRICT_APPROVER: "bupyeong-approver",
    OTHER_DISTRICT_OFFICER: "seogu",
}
# Every URL is opened by these; a superuser only where an entry names one.
ROLES = [
    ANONYMOUS,
    CITY_MANAGER,
    REVIEWER,
    DISTRICT_OFFICER,
    DISTRICT_APPROVER,
    OTHER_DISTRICT_OFFICER,
]
ALL_ROLES = [*ROLES, SUPERUSER]

# --- outcomes of a GET ------------------------------------------------------

OK = "ok"  # 2xx
LOGIN = "login"  # 302 to the admin sign-in page
DASHBOARD = "dashboard"  # 302 to the admin home: Wagtail's refusal (with a message)
REDIRECT = "redirect"  # 302 anywhere else
FORBIDDEN = "403"  # refused openly (or Wagtail's redirect to the dashboard)
NOT_FOUND = "404"  # refused without leaking that the object exists
DENIED = "denied"  # 403 or 404: either is acceptable
METHOD = "405"  # POST-only: a GET is refused whoever asks
SERVER_ERROR = "500"
TWO_FACTOR = "2fa"  # 302 to the two-factor pages (/admin/2fa/...)
REAUTH = "reauth"  # 302 to the re-authentication page

# Under /admin/ Wagtail turns a PermissionDenied into a redirect to the
# dashboard with "you do not have permission": that is a 403 too.
_MATCHES = {
    FORBIDDEN: {FORBIDDEN, DASHBOARD},
    DENIED: {FORBIDDEN, DASHBOARD, NOT_FOUND},
}


def outcome_matches(expected: str, actual: str) -> bool:
    return actual in _MATCHES.get(expected, {expected})


def expect(default: str, **cells: str) -> dict[str, str]:
    """Expectations for every role: ``default``, except the roles named."""
    unknown = set(cells) - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    return {**dict.fromkeys(ROLES, default), **cells}


def admin(default: str = DENIED, **cells: str) -> dict[str, str]:
    """An admin URL: anonymous visitors are sent to sign in."""
    return expect(default, **{ANONYMOUS: LOGIN, **cells})


def city_only(refusal: str = DENIED, **cells: str) -> dict[str, str]:
    return admin(refusal, **{CITY_MANAGER: OK, **cells})


def district_own(refusal: str = NOT_FOUND, **cells: str) -> dict[str, str]:
    """City managers and 부평구's own users; 서구 and reviewers are refused."""
    return admin(
        refusal,
        **{CITY_MANAGER: OK, DISTRICT_OFFICER: OK, DISTRICT_APPROVER: OK, **cells},
    )


def public(default: str = OK, **cells: str) -> dict[str, str]:
    """A URL anyone may open, signed in or not."""
    return expect(default, **cells)


# --- entries ----------------------------------------------------------------

Kwargs = Callable[[object], dict]


@dataclass(frozen=True)
class Entry:
    """The expectation of one URL name. ``kwargs(o)`` fills the URL's arguments
    (those ``DEFAULT_KWARGS`` does not); ``url(o)`` gives the whole path instead
    (unnamed patterns, positional arguments). ``also`` holds more cases of the
    same URL with other objects (label → Entry). ``xfail`` maps a role to the
    reason its cell is a known access bug (reported, not yet fixed)."""

    cells: dict[str, str]
    kwargs: Kwargs | None = None
    url: Callable[[object], str] | None = None
    also: dict[str, Entry] = field(default_factory=dict)
    xfail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """The expectation of every URL name starting with ``prefix``; ``overrides``
    gives other cells to some names of the area (keyed by the rest of the name)."""

    prefix: str
    cells: dict[str, str]
    kwargs: Kwargs | None = None
    overrides: dict[str, dict[str, str]] = field(default_factory=dict)


PAGES = "pages"  # marker: the Wagtail catch-all, tested page by page


# Argument names Wagtail uses the same way everywhere: filled unless an entry
# or rule says otherwise.
DEFAULT_KWARGS: dict[str, Callable[[object], object]] = {
    "job_id": lambda o: o.bupyeong_job.pk,
    "page_id": lambda o: o.call_2020.pk,
    "parent_page_id": lambda o: o.call_index.pk,
    "page_to_move_id": lambda o: o.call_2020.pk,
    "destination_id": lambda o: o.home.pk,
    "revision_id": lambda o: o.call_2020.latest_revision_id,
    "content_type_app_name": lambda o: "competitions",
    "content_type_model_name": lambda o: "callpage",
    "app_label": lambda o: "competitions",
    "model_name": lambda o: "callpage",
    "app_name": lambda o: "cms",
    "image_id": lambda o: o.image.pk,
    "document_id": lambda o: o.document.pk,
    "doc_id": lambda o: o.document.pk,
    "uploaded_file_id": lambda o: 999_999,
    "collection_id": lambda o: o.collection.pk,
    "task_state_id": lambda o: 999_999,
    "task_id": lambda o: o.workflow_task.pk,
    "workflow_state_id": lambda o: 999_999,
    "restriction_id": lambda o: 999_999,
    "page_view_restriction_id": lambda o: 999_999,
    "session_id": lambda o: 999_999,
    "object_id": lambda o: str(o.call_2020.pk),
    "filter_spec": lambda o: "original",
    "action_name": lambda o: "approve",
    "uidb64": lambda o: "MQ",
    "token": lambda o: "set-password",
}


def _month(month: str) -> Kwargs:
    return lambda o: {"project_id": o.project.pk, "month": month}


_VIEWSET_OBJECT_VIEWS = (
    "edit",
    "delete",
    "history",
    "history_results",
    "usage",
    "inspect",
)


def _viewset(
    namespace: str, pk: Callable[[object], int], **cells_by_view
) -> dict[str, Entry]:
    """One entry per view of a ScopedModelViewSet, the object views on ``pk(o)``."""
    return {
        f"{namespace}:{view}": Entry(
            cells,
            kwargs=(lambda o: {"pk": pk(o)}) if view in _VIEWSET_OBJECT_VIEWS else None,
        )
        for view, cells in cells_by_view.items()
    }


def _pool_member_pk(o) -> int:
    from competitions.models import ReviewerPoolMember

    return ReviewerPoolMember.objects.get(reviewer=o.reviewer).pk


def _announcement_pk(o) -> int:
    from announcements.models import Announcement, Audience
    from announcements.services import announcement_send

    sent = Announcement.objects.filter(title="permission matrix").first()
    if sent is None:
        sent = announcement_send(
            actor=o.city,
            title="permission matrix",
            body="matrix",
            audience=Audience.DISTRICT_OFFICERS,
        )
    return sent.pk


def _calendar_token(user) -> str:
    from calendars.selectors import feed_of
    from calendars.services import calendar_feed_renew

    feed = feed_of(user) or calendar_feed_renew(user=user)
    return feed.token


def _expertise_field_pk(o) -> int:
    from competitions.models import ExpertiseField

    return ExpertiseField.objects.order_by("pk").first().pk


# A district user's view of another district's object, in the ScopedModelViewSets:
# Wagtail's model permission is checked first (FORBIDDEN: the same for any
# pk), then the access module (NOT_FOUND: existence is not leaked).
ENTRIES: dict[str, Entry | str] = {
    # --- our admin: background jobs (a job is its owner's, and the city's) -------
    "job_status": Entry(district_own(district_approver=NOT_FOUND)),
    "job_download": Entry(district_own(district_approver=NOT_FOUND)),
    # --- review and selection ----------------------------------------------------
    "review_calls": Entry(city_only(NOT_FOUND)),
    "review_panel": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    "review_ranking": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    "review_optimal": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    "review_score_sheet": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    "review_my_assignments": Entry(admin(NOT_FOUND, reviewer=OK)),
    # reviewer2 has not signed the 2020 call's pledges (the review journey
    # signs them): their assignment sends them to the pledge page. Their 2018
    # proposal, under signed pledges, opens (proposals:attachment below).
    "review_assignment": Entry(
        admin(NOT_FOUND, reviewer=REDIRECT),
        kwargs=lambda o: {"pk": o.own_assignment.pk},
        also={
            # reviewer2 declared a tie with 부평구: someone else scores its proposal.
            "another reviewer's, 부평구 2020": Entry(
                admin(NOT_FOUND), kwargs=lambda o: {"pk": o.others_assignment.pk}
            ),
        },
    ),
    "review_declare": Entry(
        admin(NOT_FOUND), kwargs=lambda o: {"pk": o.own_assignment.pk}
    ),
    # The draw of a call's panel from the pool: the city's.
    "review_draw": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    # The pledges of a call: signed by the reviewers on its panel only.
    "review_pledge": Entry(
        admin(NOT_FOUND, reviewer=OK), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    # Presentation reviews: the city's timetable of a call; a district's own
    # slots and a panel reviewer's (minus tied districts) once it is sent.
    "review_presentations": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    "presentations_mine": Entry(
        admin(
            NOT_FOUND,
            reviewer=OK,
            district_officer=OK,
            district_approver=OK,
            other_district_officer=OK,
        )
    ),
    # 부평구's 2020 slot: reviewer2 is tied to 부평구, the others score nothing.
    "presentations_score": Entry(
        admin(NOT_FOUND), kwargs=lambda o: {"pk": o.presentation_slot.pk}
    ),
    # Objections: a district's own and the city's; never a reviewer's.
    "objections": Entry(
        admin(
            OK,
            reviewer=NOT_FOUND,
        )
    ),
    "objections_new": Entry(
        admin(NOT_FOUND, district_officer=OK),
        kwargs=lambda o: {"proposal_id": o.proposal_2018.pk},
    ),
    "objections_detail": Entry(district_own(), kwargs=lambda o: {"pk": o.objection.pk}),
    "objections_attachment": Entry(
        district_own(), kwargs=lambda o: {"pk": o.objection_attachment.pk}
    ),
    # --- projects and monthly reports --------------------------------------------
    "projects_change_request_new": Entry(
        admin(
            NOT_FOUND,
            district_officer=OK,
            city_manager=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        kwargs=lambda o: {"project_id": o.project.pk},
    ),
    "projects_change_request": Entry(
        district_own(), kwargs=lambda o: {"pk": o.change_request.pk}
    ),
    "projects_change_request_decide": Entry(
        admin(METHOD),
        kwargs=lambda o: {"pk": o.change_request.pk, "decision": "approve"},
    ),
    # --- a project's money: agreement and disbursement ------------------------------
    # Everyone who works with projects reads the dashboard (their own district's
    # rows); a project's money and its agreement as the project itself.
    "funding_dashboard": Entry(admin(OK, reviewer=FORBIDDEN)),
    "funding_project": Entry(
        district_own(), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "funding_agreement_draft": Entry(
        admin(METHOD), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "funding_schedule": Entry(
        admin(
            NOT_FOUND,
            city_manager=OK,
            district_officer=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        kwargs=lambda o: {"project_id": o.project.pk},
    ),
    "funding_agreement": Entry(district_own(), kwargs=lambda o: {"pk": o.agreement.pk}),
    "funding_agreement_sign": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.agreement.pk}
    ),
    "funding_agreement_pdf": Entry(
        district_own(), kwargs=lambda o: {"pk": o.agreement.pk}
    ),
    "funding_tranche_action": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.tranche.pk, "action": "request"}
    ),
    # Settlements (정산): a project's as the project itself; the list as the
    # dashboard; evidence as its project.
    "funding_settlement": Entry(
        district_own(), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "funding_settlements": Entry(admin(OK, reviewer=FORBIDDEN)),
    "funding_settlement_evidence": Entry(
        district_own(), kwargs=lambda o: {"pk": o.settlement_evidence.pk}
    ),
    # The settlement statement (정산서) as the project itself; the city's
    # settlement summary: a city manager for the city, a district user for
    # their own district (so 서구 builds its own); the job page its owner's.
    "funding_statement_xlsx": Entry(
        district_own(), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "funding_statement_pdf": Entry(
        district_own(), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "funding_settlement_summary": Entry(
        admin(
            NOT_FOUND,
            city_manager=OK,
            district_officer=OK,
            district_approver=OK,
            other_district_officer=OK,
        )
    ),
    "funding_settlement_summary_job": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"job_id": o.settlement_job.pk}
    ),
    # --- site visits (tests/inspections/): the city plans, records and decides;
    # the project's own district reads and answers; reviewers see none.
    "inspections_visit_new": Entry(city_only(FORBIDDEN)),
    "inspections_visit": Entry(
        district_own(), kwargs=lambda o: {"pk": o.site_visit.pk}
    ),
    # The demo's visit is done: its plan and result are kept (back to its page).
    "inspections_visit_edit": Entry(
        district_own(
            city_manager=REDIRECT,
            district_officer=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        kwargs=lambda o: {"pk": o.site_visit.pk},
    ),
    "inspections_visit_record": Entry(
        district_own(
            city_manager=REDIRECT,
            district_officer=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        kwargs=lambda o: {"pk": o.site_visit.pk},
    ),
    "inspections_visit_cancel": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.site_visit.pk}
    ),
    "inspections_finding_new": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.site_visit.pk}
    ),
    "inspections_findings": Entry(admin(OK, reviewer=FORBIDDEN)),
    "inspections_finding": Entry(district_own(), kwargs=lambda o: {"pk": o.finding.pk}),
    "inspections_finding_action": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.finding.pk, "action": "close"}
    ),
    "inspections_evidence": Entry(
        district_own(), kwargs=lambda o: {"pk": o.evidence.pk}
    ),
    "inspections_project": Entry(
        district_own(), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    # --- the end of a project: final report and closing ---------------------------
    # Everyone who works with projects reads the list (their own district's
    # projects); a project's final report and its PDF as the project itself.
    "closeout_index": Entry(admin(OK, reviewer=FORBIDDEN)),
    "closeout_final_report": Entry(
        district_own(), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "closeout_final_report_save": Entry(
        admin(METHOD), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "closeout_final_report_decide": Entry(
        admin(METHOD),
        kwargs=lambda o: {"project_id": o.project.pk, "decision": "return"},
    ),
    "closeout_final_report_pdf": Entry(
        district_own(), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "closeout_project_close": Entry(
        admin(METHOD), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    "closeout_project_reopen": Entry(
        admin(METHOD), kwargs=lambda o: {"project_id": o.project.pk}
    ),
    # Each district user sees their own district's month; reviewers none.
    "reporting_month": Entry(admin(OK, reviewer=FORBIDDEN)),
    "reporting_overdue": Entry(admin(OK, reviewer=FORBIDDEN)),
    # "Send reminder now": POST only, city managers (tests/reporting/test_work_queues.py).
    "reporting_overdue_remind": Entry(admin(METHOD)),
    "reporting_roster_destructions": Entry(city_only(FORBIDDEN)),
    "reporting_report": Entry(
        district_own(), kwargs=lambda o: {"pk": o.report_accepted.pk}
    ),
    "reporting_report_action": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.report_accepted.pk, "action": "reopen"}
    ),
    "reporting_report_form": Entry(
        admin(
            NOT_FOUND,
            district_officer=OK,
            city_manager=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        kwargs=_month("2019-11"),
    ),
    "spreadsheets_template": Entry(district_own(), kwargs=_month("2019-11")),
    "spreadsheets_upload": Entry(
        admin(
            NOT_FOUND,
            district_officer=OK,
            city_manager=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        kwargs=_month("2019-11"),
    ),
    "spreadsheets_upload_confirm": Entry(admin(METHOD), kwargs=_month("2019-11")),
    "spreadsheets_bulk_import": Entry(city_only(FORBIDDEN)),
    "spreadsheets_bulk_import_start": Entry(admin(METHOD)),
    "spreadsheets_bulk_job": Entry(
        city_only(FORBIDDEN), kwargs=lambda o: {"job_id": o.bulk_job.pk}
    ),
    # --- outcomes and evaluation -------------------------------------------------
    "evaluation_dashboard": Entry(admin(OK, reviewer=FORBIDDEN)),
    "evaluation_report_request": Entry(admin(METHOD)),
    "evaluation_job": Entry(district_own(district_approver=NOT_FOUND)),
    "evaluation_report_file": Entry(
        district_own(), kwargs=lambda o: {"pk": o.report_file.pk}
    ),
    "evaluation_report_download": Entry(
        district_own(), kwargs=lambda o: {"pk": o.report_file.pk}
    ),
    "evaluation_detail": Entry(
        city_only(FORBIDDEN), kwargs=lambda o: {"pk": o.scheme.pk}
    ),
    "evaluation_action": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.scheme.pk, "action": "publish"}
    ),
    # The qualitative score, entered by the reviewers the city assigned (the
    # demo's reviewer2 is assigned to the 2018 scheme); a 404 to anyone else.
    "evaluation_qualitative_mine": Entry(admin(NOT_FOUND, reviewer=OK)),
    "evaluation_qualitative_scheme": Entry(
        admin(NOT_FOUND, reviewer=OK), kwargs=lambda o: {"pk": o.scheme.pk}
    ),
    "evaluation_qualitative_score": Entry(
        admin(METHOD),
        kwargs=lambda o: {"pk": o.scheme.pk, "project_pk": o.project.pk},
    ),
    # --- sign-in: the second step, re-authentication -----------------------------
    "accounts_2fa_setup": Entry(admin(REDIRECT)),  # already enrolled and verified
    "accounts_2fa_verify": Entry(admin(DASHBOARD)),  # already verified
    "accounts_two_factor": Entry(admin(OK)),
    # District profiles: the city lists them; a district user is sent to their own.
    "accounts_district_profiles": Entry(
        admin(
            REDIRECT,
            city_manager=OK,
            reviewer=NOT_FOUND,
        )
    ),
    "accounts_district_profile": Entry(
        district_own(),
        kwargs=lambda o: {"organisation_id": o.bupyeong_org.pk},
    ),
    "accounts_2fa_reset": Entry(
        admin(FORBIDDEN, city_manager=REAUTH),
        kwargs=lambda o: {"user_id": o.bupyeong.pk},
    ),
    "accounts_reauth": Entry(admin(OK)),
    # --- announcements: the city's alone (tests/announcements/) -------------------
    "announcements_index": Entry(city_only(FORBIDDEN)),
    "announcements_new": Entry(city_only(FORBIDDEN)),
    "announcements_detail": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"pk": _announcement_pk(o)}
    ),
    # --- the deadline calendar (tests/calendars/) --------------------------------
    # Every role has deadlines: each sees (and renews, by POST) only their own address.
    "calendars_feed_settings": Entry(admin(OK)),
    # The feed needs no session: the token is the credential. An unknown one is a
    # 404 to everyone; 부평구's officer's address opens for whoever holds it.
    "calendars_feed": Entry(
        public(NOT_FOUND),
        also={
            "부평구 officer's address": Entry(
                public(OK), kwargs=lambda o: {"token": _calendar_token(o.bupyeong)}
            ),
        },
    ),
    # --- the audit trail: city managers only, read only ---------------------------
    "audit_index": Entry(city_only(NOT_FOUND, superuser=OK)),
    "audit_index_results": Entry(city_only(NOT_FOUND)),
    "audit_detail": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"pk": o.audit_entry.pk}
    ),
    # --- printed documents (issue 21): each follows its object's access rules ------
    "documents_proposal_receipt": Entry(
        district_own(reviewer=DENIED), kwargs=lambda o: {"pk": o.proposal_2018.pk}
    ),
    "documents_report_as_submitted": Entry(
        district_own(), kwargs=lambda o: {"pk": o.report_accepted.pk}
    ),
    "documents_selection_result": Entry(
        city_only(DENIED), kwargs=lambda o: {"call_id": o.call_2018.pk}
    ),
    "documents_change_decision": Entry(
        district_own(), kwargs=lambda o: {"pk": o.change_request.pk}
    ),
    # --- notifications (issue 23): the inbox is one's own; the outbox the city's -----
    "notifications_inbox": Entry(admin(OK)),
    # 부평구's officer's notice: anyone else (a city manager, a superuser too)
    # is told it does not exist; its own reader goes on to its screen.
    "notifications_open": Entry(
        admin(NOT_FOUND, district_officer=REDIRECT),
        kwargs=lambda o: {"pk": o.notice.pk},
    ),
    "notifications_mark_read": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.notice.pk}
    ),
    "notifications_mark_all_read": Entry(admin(METHOD)),
    "notifications_settings": Entry(admin(OK)),
    "notifications_outbox": Entry(city_only(FORBIDDEN)),
    "notifications_retry": Entry(admin(METHOD), kwargs=lambda o: {"pk": o.notice.pk}),
    # --- the user guide: every signed-in admin user reads every role's guide -------
    "guide_index": Entry(admin(OK)),
    "guide_page": Entry(admin(OK), kwargs=lambda o: {"role": "district-officer"}),
    "guide_image": Entry(
        admin(OK),
        kwargs=lambda o: {"language": "ko", "name": "reviewer-assignments.png"},
    ),
    # --- our viewsets --------------------------------------------------------------
    **_viewset(
        "organisations",
        lambda o: o.bupyeong_org.pk,
        index=city_only(FORBIDDEN),
        index_results=city_only(FORBIDDEN),
        add=city_only(FORBIDDEN),
        edit=city_only(FORBIDDEN),
        # Nobody deletes an organisation.
        delete=admin(
            NOT_FOUND,
            city_manager=FORBIDDEN,
            district_officer=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        history=city_only(
            NOT_FOUND, district_officer=FORBIDDEN, district_approver=FORBIDDEN
        ),
        history_results=city_only(
            NOT_FOUND, district_officer=FORBIDDEN, district_approver=FORBIDDEN
        ),
        usage=city_only(
            NOT_FOUND, district_officer=FORBIDDEN, district_approver=FORBIDDEN
        ),
        inspect=city_only(
            NOT_FOUND, district_officer=FORBIDDEN, district_approver=FORBIDDEN
        ),
    ),
    **_viewset(
        "proposals",
        lambda o: o.proposal_2020.pk,
        index=admin(OK, reviewer=FORBIDDEN),  # each sees their own list
        index_results=admin(OK, reviewer=FORBIDDEN),
        add=admin(NOT_FOUND, district_officer=OK, other_district_officer=OK),
        delete=admin(
            NOT_FOUND,
            city_manager=FORBIDDEN,
            district_officer=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        history=admin(
            NOT_FOUND,
            district_officer=OK,
            city_manager=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        history_results=admin(
            NOT_FOUND,
            district_officer=OK,
            city_manager=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        usage=admin(
            NOT_FOUND,
            district_officer=OK,
            city_manager=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
    ),
    # In review, the proposal can no longer be edited: the form sends people to it.
    "proposals:edit": Entry(
        district_own(
            city_manager=REDIRECT, district_officer=REDIRECT, district_approver=REDIRECT
        ),
        kwargs=lambda o: {"pk": o.proposal_2020.pk},
        also={
            "부평구 draft": Entry(
                district_own(city_manager=NOT_FOUND, district_approver=REDIRECT),
                kwargs=lambda o: {"pk": o.draft.pk},
            ),
        },
    ),
    "proposals:inspect": Entry(
        district_own(),
        kwargs=lambda o: {"pk": o.proposal_2020.pk},
        also={
            # A draft is the district's own until sent: not even the city sees it.
            "부평구 draft": Entry(
                district_own(city_manager=NOT_FOUND, superuser=OK),
                kwargs=lambda o: {"pk": o.draft.pk},
            ),
        },
    ),
    "proposals:transition": Entry(
        admin(METHOD), kwargs=lambda o: {"pk": o.proposal_2020.pk, "action": "withdraw"}
    ),
    # The confirmation page: a proposal in review can no longer be withdrawn,
    # so whoever may read it is sent back to it with the reason.
    "proposals:withdraw": Entry(
        admin(
            NOT_FOUND,
            city_manager=REDIRECT,
            district_officer=REDIRECT,
            district_approver=REDIRECT,
        ),
        kwargs=lambda o: {"pk": o.proposal_2020.pk},
    ),
    "proposals:attachment": Entry(
        district_own(),  # reviewer2 is not on 부평구's 2020 proposal: the tie
        kwargs=lambda o: {"pk": o.attachment.pk},
        also={
            # ... but scored its 2018 proposal, before the tie, and reads it still.
            "부평구 2018, scored by reviewer2": Entry(
                district_own(reviewer=OK), kwargs=lambda o: {"pk": o.attachment_2018.pk}
            ),
        },
    ),
    "proposals:attachments_zip": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"call_id": o.call_2020.pk}
    ),
    "proposals:job": Entry(
        city_only(NOT_FOUND), kwargs=lambda o: {"job_id": o.zip_job.pk}
    ),
    # "Start from…" an earlier proposal or project: a district officer's, for
    # a call open to their district (서구 is eligible for 2027 too).
    "proposals:start_from": Entry(
        admin(NOT_FOUND, district_officer=OK, other_district_officer=OK),
        kwargs=lambda o: {"call_id": o.call_2027.pk},
    ),
    # Carrying 부평구's project (graded for continuation) into an open call:
    # its own officers only; to everyone else the project does not exist.
    "proposals:carry": Entry(
        admin(NOT_FOUND, district_officer=OK),
        kwargs=lambda o: {"project_id": o.project.pk},
    ),
    **_viewset(
        "projects",
        lambda o: o.project.pk,
        index=admin(OK, reviewer=FORBIDDEN),
        index_results=admin(OK, reviewer=FORBIDDEN),
        add=admin(FORBIDDEN),  # projects come from selected proposals
        edit=city_only(FORBIDDEN),
        delete=admin(
            NOT_FOUND,
            city_manager=FORBIDDEN,
            district_officer=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        history=district_own(district_officer=FORBIDDEN, district_approver=FORBIDDEN),
        history_results=district_own(
            district_officer=FORBIDDEN, district_approver=FORBIDDEN
        ),
        usage=district_own(district_officer=FORBIDDEN, district_approver=FORBIDDEN),
        inspect=district_own(),
    ),
    **_viewset(
        "monthly_reports",
        lambda o: o.report_accepted.pk,
        index=admin(OK, reviewer=FORBIDDEN),
        index_results=admin(OK, reviewer=FORBIDDEN),
        # The report's own page is where it is read and edited.
        edit=district_own(
            reviewer=FORBIDDEN,
            city_manager=REDIRECT,
            district_officer=REDIRECT,
            district_approver=REDIRECT,
        ),
        delete=admin(
            NOT_FOUND,
            city_manager=FORBIDDEN,
            district_officer=FORBIDDEN,
            district_approver=FORBIDDEN,
        ),
        history=district_own(),
        history_results=district_own(),
        usage=district_own(),
    ),
    # Reports are filed through reporting_report_form; the viewset's add form
    # (no fields, its button hidden) must not be reachable.
    "monthly_reports:add": Entry(admin(FORBIDDEN)),
    # Change requests as a work queue: listed, filtered and exported here;
    # proposed and decided on the project's page.
    **_viewset(
        "change_requests",
        lambda o: o.change_request.pk,
        index=admin(OK, reviewer=FORBIDDEN),
        index_results=admin(OK, reviewer=FORBIDDEN),
        add=admin(FORBIDDEN),
        edit=admin(FORBIDDEN, city_manager=REDIRECT),
        # Nobody deletes a change request; those who may not see it get a 404.
        delete=admin(DENIED),
        # Wagtail's history needs a change or add permission; its usage view a change one.
        history=district_own(district_approver=FORBIDDEN),
        history_results=district_own(district_approver=FORBIDDEN),
        usage=district_own(district_officer=FORBIDDEN, district_approver=FORBIDDEN),
    ),
    # Agreements: listed and filtered here, read on their own page. The demo's
    # is signed: read-only, the city's edit and delete send it back with why.
    **_viewset(
        "agreements",
        lambda o: o.agreement.pk,
        index=admin(OK, reviewer=FORBIDDEN),
        index_results=admin(OK, reviewer=FORBIDDEN),
        add=admin(FORBIDDEN),  # drafted from the project's plan, never typed
        edit=admin(DENIED, city_manager=REDIRECT),
        # Nobody deletes an agreement (no role holds the permission).
        delete=admin(DENIED),
        history=city_only(DENIED),
        history_results=city_only(DENIED),
        usage=city_only(DENIED),
    ),
    # Site visits: listed and filtered here, each read and worked on its own
    # page; planned on its own screen. Nobody holds add, change or delete on
    # the generic views (every change is a service's).
    **_viewset(
        "site_visits",
        lambda o: o.site_visit.pk,
        index=admin(OK, reviewer=FORBIDDEN),
        index_results=admin(OK, reviewer=FORBIDDEN),
        add=admin(FORBIDDEN),
        edit=admin(DENIED),
        delete=admin(DENIED),
        history=admin(DENIED),
        history_results=admin(DENIED),
        usage=admin(DENIED),
    ),
    # The site-visit checklist of each call: the city's.
    **_viewset(
        "visit_checklists",
        lambda o: o.checklist_item.pk,
        index=city_only(FORBIDDEN),
        index_results=city_only(FORBIDDEN),
        add=city_only(FORBIDDEN),
        edit=city_only(DENIED),
        delete=city_only(DENIED),
        history=city_only(DENIED),
        history_results=city_only(DENIED),
        usage=city_only(DENIED),
    ),
    # The conditions of grant per call: the city's.
    **_viewset(
        "grant_conditions",
        lambda o: o.grant_conditions.pk,
        index=city_only(FORBIDDEN),
        index_results=city_only(FORBIDDEN),
        add=city_only(FORBIDDEN),
        edit=city_only(DENIED),
        delete=admin(DENIED),
        history=city_only(DENIED),
        history_results=city_only(DENIED),
        usage=city_only(DENIED),
    ),
    **_viewset(
        "evaluation_schemes",
        lambda o: o.scheme.pk,
        index=city_only(FORBIDDEN),
        index_results=city_only(FORBIDDEN),
        add=city_only(FORBIDDEN),
        # The demo's grades are published: read-only, sent to the evaluation page (reopening).
        edit=city_only(FORBIDDEN, city_manager=REDIRECT),
        # A scheme is kept: grades were published under it.
        delete=city_only(NOT_FOUND, city_manager=FORBIDDEN),
        history=city_only(NOT_FOUND),
        history_results=city_only(NOT_FOUND),
        usage=city_only(NOT_FOUND),
        inspect=city_only(NOT_FOUND),
    ),
    **_viewset(
        "qualitative_scores",
        lambda o: o.qualitative_score.pk,
        index=city_only(FORBIDDEN),
        index_results=city_only(FORBIDDEN),
        # A listing only: reviewers enter their own scores, nobody adds, edits or
        # deletes one here (Wagtail's history and usage need a change permission).
        add=admin(FORBIDDEN),
        edit=admin(FORBIDDEN),
        delete=admin(NOT_FOUND, city_manager=DENIED),
        history=admin(NOT_FOUND, city_manager=DENIED),
        history_results=admin(NOT_FOUND, city_manager=DENIED),
        usage=admin(NOT_FOUND, city_manager=DENIED),
    ),
    # The indicator catalogue: everyone who works with figures reads it (the
    # definitions); only the city changes it. The object is a core indicator:
    # never deleted, so the city's delete page sends it back with the reason.
    **_viewset(
        "indicators",
        lambda o: o.indicator.pk,
        index=admin(OK),
        index_results=admin(OK),
        add=city_only(FORBIDDEN),
        edit=city_only(FORBIDDEN),
        delete=city_only(FORBIDDEN, city_manager=REDIRECT),
        history=city_only(FORBIDDEN),
        history_results=city_only(FORBIDDEN),
        usage=city_only(FORBIDDEN),
        inspect=admin(OK),
    ),
    # The city's validation rules: district users read what their reports are
    # checked against; reviewers have no reports.
    **_viewset(
        "validation_rules",
        lambda o: o.validation_rule.pk,
        index=admin(OK, reviewer=FORBIDDEN),
        index_results=admin(OK, reviewer=FORBIDDEN),
        add=city_only(FORBIDDEN),
        # Reviewers may not see the rules: an object view is a 404 to them.
        edit=city_only(FORBIDDEN),
        delete=city_only(FORBIDDEN, reviewer=NOT_FOUND),
        history=city_only(FORBIDDEN, reviewer=NOT_FOUND),
        history_results=city_only(FORBIDDEN, reviewer=NOT_FOUND),
        usage=city_only(FORBIDDEN, reviewer=NOT_FOUND),
        inspect=admin(OK, reviewer=NOT_FOUND),
    ),
    # The reviewer pool (평가위원 풀) and its fields of expertise: the city's.
    **_viewset(
        "reviewer_pool",
        _pool_member_pk,
        index=city_only(FORBIDDEN),
        index_results=city_only(FORBIDDEN),
        add=city_only(FORBIDDEN),
        edit=city_only(FORBIDDEN),
        # The rows are the city's only: an object view is a 404 to the others.
        delete=city_only(NOT_FOUND),
        history=city_only(NOT_FOUND),
        history_results=city_only(NOT_FOUND),
        usage=city_only(NOT_FOUND),
    ),
    **_viewset(
        "expertise_fields",
        _expertise_field_pk,
        index=city_only(FORBIDDEN),
        index_results=city_only(FORBIDDEN),
        add=city_only(FORBIDDEN),
        edit=city_only(FORBIDDEN),
        # The rows are the city's only: an object view is a 404 to the others.
        delete=city_only(NOT_FOUND),
        history=city_only(NOT_FOUND),
        history_results=city_only(NOT_FOUND),
        usage=city_only(NOT_FOUND),
    ),
    # --- Wagtail admin's own single URLs -----------------------------------------
    "wagtailadmin_home": Entry(admin(OK)),
    "wagtailadmin_error_test": Entry(
        admin(SERVER_ERROR)
    ),  # Wagtail's deliberate error page
    "admin/test404/": Entry(
        admin(OK), url=lambda o: "/admin/test404/"
    ),  # a template, 200
    "admin/^.*/$": Entry(admin(NOT_FOUND), url=lambda o: "/admin/no-such-screen/"),
    "wagtail_bulk_action": Entry(
        admin(NOT_FOUND),
        kwargs=lambda o: {
            "app_label": "wagtailcore",
            "model_name": "page",
            "action": "delete",
        },
    ),
    "wagtailadmin_tag_autocomplete": Entry(admin(OK)),
    "wagtailadmin_tag_model_autocomplete": Entry(
        admin(NOT_FOUND),  # no model here keeps its own tags
        kwargs=lambda o: {"app_name": "wagtailimages", "model_name": "image"},
    ),
    "wagtailadmin_account": Entry(admin(OK)),
    # A GET signs out too (accounts.account_views.LogoutView): everyone lands on sign-in.
    "wagtailadmin_logout": Entry(admin(LOGIN)),
    "wagtailadmin_dismissibles": Entry(admin(OK)),
    "wagtailadmin_block_preview": Entry(admin(NOT_FOUND)),  # no block named
    "wagtailadmin_sprite": Entry(public()),
    "wagtailadmin_login": Entry(public(DASHBOARD, anonymous=OK)),
    "wagtailadmin_password_reset": Entry(public()),
    "wagtailadmin_password_reset_done": Entry(public()),
    "wagtailadmin_password_reset_confirm": Entry(public()),
    "wagtailadmin_password_reset_complete": Entry(public()),
    "wagtailadmin_javascript_catalog": Entry(public()),
    # --- public site, documents, API ---------------------------------------------
    "wagtail_serve": PAGES,
    "wagtaildocs_serve": Entry(public(), url=lambda o: o.document.url),
    "wagtaildocs_authenticate_with_password": Entry(public(NOT_FOUND)),
    "wagtailcore_authenticate_with_password": Entry(public(NOT_FOUND)),
    "wagtailcore_login": Entry(public()),
    "set_language": Entry(public(REDIRECT)),  # a GET changes nothing and goes back
    "healthz": Entry(public()),
    # The public site outside the page tree (cms/urls.py): open to everyone.
    "public:search": Entry(
        public(), url=lambda o: reverse("public:search") + "?q=2019"
    ),
    "public:results": Entry(public()),
    # The language switcher (a GET form, no CSRF token): sets the visitor's own
    # language cookie and goes back.
    "public:language": Entry(
        public(REDIRECT), url=lambda o: reverse("public:language") + "?language=en"
    ),
    "public:privacy": Entry(public()),
    "public:copyright": Entry(public()),
    # Our guard in front of Wagtail's site history (same paths as wagtailadmin_reports:site_history*).
    "wagtailadmin_site_history_guarded": Entry(admin(FORBIDDEN, superuser=OK)),
    "wagtailadmin_site_history_results_guarded": Entry(admin(FORBIDDEN, superuser=OK)),
    "open_data:outcomes": Entry(
        public(), url=lambda o: reverse("open_data:outcomes") + "?year=2019&month=9"
    ),
    "open_data:openapi": Entry(public()),
    "open_data:indicators": Entry(public()),
    # Open data (issue 25): the standard datasets, their pages and downloads, the
    # DCAT catalogue. Public data only (accepted months, published grades).
    "open_data:catalog": Entry(public()),
    "open_data:catalog_context": Entry(public()),
    "open_data:dataset": Entry(
        public(), url=lambda o: reverse("open_data:dataset", args=["projects"])
    ),
    "datasets:list": Entry(public()),
    "datasets:detail": Entry(
        public(), url=lambda o: reverse("datasets:detail", args=["monthly-figures"])
    ),
    "datasets:download": Entry(
        public(),
        url=lambda o: reverse("datasets:download", args=["monthly-figures", "csv"]),
    ),
    # Public district and project pages and the one-page PDF (reporting/evaluation/public):
    # open to anyone; an unknown district, project or year is a 404 to everyone.
    "public_district": Entry(
        public(),
        kwargs=lambda o: {"code": o.bupyeong_org.code},
        also={
            "unknown district": Entry(
                public(NOT_FOUND), kwargs=lambda o: {"code": "XX"}
            )
        },
    ),
    "public_project": Entry(
        public(),
        kwargs=lambda o: {"code": o.project.code},
        also={
            "unknown project": Entry(
                public(NOT_FOUND), kwargs=lambda o: {"code": "1999-XX-01"}
            )
        },
    ),
    "public_outcomes_pdf": Entry(
        public(),
        kwargs=lambda o: {"year": 2019},
        also={
            "a year without outcomes page": Entry(
                public(NOT_FOUND), kwargs=lambda o: {"year": 1999}
            )
        },
    ),
}

_MULTIPLE_UPLOAD = ("edit_multiple", "delete_multiple")

# Wagtail's areas. Only city managers hold Wagtail permissions (pages on the
# root, documents and images, users: accounts/roles.py); collections, sites,
# groups, workflows, redirects, settings, forms and snippets are nobody's but
# a superuser's. Choosers and the admin API list public pages, documents and
# images to anyone signed in to the admin.
RULES: list[Rule] = [
    Rule(
        "wagtailadmin_api:pages:",
        admin(OK),
        kwargs=lambda o: {"pk": o.call_2020.pk},
        overrides={
            "detail": city_only(NOT_FOUND),
            "find": admin(NOT_FOUND),
            "action": admin(METHOD),
        },
    ),
    Rule(
        "wagtailadmin_api:documents:",
        admin(OK),
        kwargs=lambda o: {"pk": o.document.pk},
        overrides={"find": admin(NOT_FOUND)},
    ),
    Rule(
        "wagtailadmin_api:images:",
        admin(OK),
        kwargs=lambda o: {"pk": o.image.pk},
        overrides={"find": admin(NOT_FOUND)},
    ),
    Rule("wagtailadmin_explore", city_only(FORBIDDEN)),
    Rule(
        "wagtailadmin_pages:",
        city_only(FORBIDDEN),
        kwargs=lambda o: {
            "pk": o.call_2020.pk,
            "revision_id_a": "earliest",
            "revision_id_b": "latest",
        },
        overrides={
            "choose_parent": admin(OK, city_manager=REDIRECT),
            "add_subpage": city_only(FORBIDDEN, city_manager=REDIRECT),
            "convert_alias": admin(NOT_FOUND),  # not an alias
            # A confirmation page only; the move itself is refused (POST table).
            "move_confirm": admin(OK),
            "set_page_position": admin(METHOD),
            "lock": admin(METHOD),
            "unlock": admin(METHOD),
            "workflow_action": admin(NOT_FOUND),
            "collect_workflow_action_data": admin(NOT_FOUND),
            "confirm_workflow_cancellation": admin(OK),
            "workflow_preview": admin(FORBIDDEN),
            "workflow_history_detail": city_only(FORBIDDEN, city_manager=NOT_FOUND),
            "revisions_index": admin(REDIRECT),  # to the page's history
        },
    ),
    Rule("wagtailadmin_choose_page", admin(OK)),
    Rule(
        "wagtailadmin_collections:",
        admin(FORBIDDEN, superuser=OK),
        kwargs=lambda o: {"pk": o.collection.pk},
        overrides={"delete": admin(NOT_FOUND, superuser=OK)},
    ),
    Rule(
        "wagtailadmin_workflows:",
        admin(FORBIDDEN),
        kwargs=lambda o: {
            "pk": o.workflow.pk,
            "page_pk": o.call_2020.pk,
            "workflow_pk": o.workflow.pk,
            "app_label": "wagtailcore",
            "model_name": "groupapprovaltask",
        },
        overrides={
            "enable": admin(METHOD),
            "remove": admin(METHOD),
            "enable_task": admin(METHOD),
            # The chooser lists task names; creating one is refused (POST table).
            "task_chooser": admin(OK),
            "task_chooser_results": admin(OK),
            "task_chooser_create": admin(OK),
            "task_chosen": admin(OK),
        },
    ),
    Rule(
        "wagtailadmin_reports:",
        admin(FORBIDDEN),
        overrides={
            **{
                name: city_only(FORBIDDEN)
                for name in (
                    "workflow",
                    "workflow_results",
                    "workflow_tasks",
                    "workflow_tasks_results",
                    "aging_pages",
                    "aging_pages_results",
                    "page_types_usage",
                    "page_types_usage_results",
                )
            },
            # Superusers only: it lists edits by model type, not through the access module.
            "site_history": admin(FORBIDDEN, superuser=OK),
            "site_history_results": admin(FORBIDDEN, superuser=OK),
        },
    ),
    Rule(
        "wagtailadmin_editing_sessions:",
        admin(METHOD),
        kwargs=lambda o: {"app_label": "wagtailcore", "model_name": "page"},
    ),
    Rule(
        "wagtailforms:",
        admin(NOT_FOUND),  # the site has no form pages
        overrides={
            "index": city_only(FORBIDDEN),
            "index_results": city_only(FORBIDDEN),
            "delete_submissions": admin(FORBIDDEN),
        },
    ),
    Rule(
        "wagtailredirects:",
        admin(FORBIDDEN),
        kwargs=lambda o: {"redirect_id": o.redirect.pk},
    ),
    Rule("wagtailsettings:", admin(DENIED), kwargs=lambda o: {"pk": 999_999}),
    Rule("wagtailembeds:", admin(OK)),
    Rule("wagtailsnippets:", admin(FORBIDDEN)),
    Rule(
        "wagtaildocs:",
        city_only(FORBIDDEN),
        overrides={
            name: admin(METHOD)
            for name in (
                *_MULTIPLE_UPLOAD,
                "create_multiple_from_uploaded_document",
                "delete_upload_multiple",
            )
        },
    ),
    Rule(
        "wagtaildocs_chooser:",
        admin(OK),
        kwargs=lambda o: {"pk": o.document.pk},
        overrides={"chosen": city_only(FORBIDDEN), "create": city_only(FORBIDDEN)},
    ),
    Rule(
        "wagtailimages:",
        city_only(FORBIDDEN),
        overrides={
            "url_generator": city_only(FORBIDDEN, city_manager=NOT_FOUND),
            "url_generator_output": city_only(FORBIDDEN, city_manager=NOT_FOUND),
            **{
                name: admin(METHOD)
                for name in (
                    *_MULTIPLE_UPLOAD,
                    "create_multiple_from_uploaded_image",
                    "delete_upload_multiple",
                )
            },
        },
    ),
    Rule(
        "wagtailimages_chooser:",
        admin(OK),
        kwargs=lambda o: {"pk": o.image.pk},
        overrides={
            "chosen": city_only(FORBIDDEN),
            "create": city_only(FORBIDDEN),
            "select_format": city_only(FORBIDDEN),
        },
    ),
    Rule(
        "wagtailsites:",
        admin(FORBIDDEN, superuser=OK),
        kwargs=lambda o: {"pk": o.site.pk},
    ),
    Rule(
        "wagtailusers_users:",
        city_only(FORBIDDEN),
        kwargs=lambda o: {"pk": o.bupyeong.pk},
        overrides={
            "delete": admin(FORBIDDEN, superuser=OK)
        },  # people are deactivated, not deleted
    ),
    Rule(
        "wagtailusers_groups:",
        admin(FORBIDDEN, superuser=OK),
        kwargs=lambda o: {"pk": o.group.pk},
    ),
]


# The public site: Wagtail serves every live page through one catch-all URL, so
# the matrix opens each live page of the demo, in Korean and in English, keyed
# by page type (``app_label.ModelName``). Every page model needs a line.
PAGE_TYPES: dict[str, dict[str, str]] = {
    "cms.HomePage": public(),
    "competitions.CallIndexPage": public(),
    "competitions.CallPage": public(),
    "competitions.CallResultsPage": public(),
    "evaluation.OutcomesPage": public(),
}


# --- walking the resolver ---------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # URL name, or the route of an unnamed pattern
    name: str | None
    route: str
    kwarg_names: tuple[str, ...]
    positional: int  # unnamed regex groups


def _arguments(pattern) -> tuple[tuple[str, ...], int]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters), 0
    if isinstance(pattern, RegexPattern):
        named = tuple(pattern.regex.groupindex)
        return named, 0 if named else pattern.regex.groups
    return (), 0


def _walk(
    patterns, prefix="", namespace=None, kwargs=(), positional=0
) -> Iterator[Route]:
    for pattern in patterns:
        names, count = _arguments(pattern.pattern)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = (
                    f"{namespace}:{pattern.namespace}"
                    if namespace
                    else pattern.namespace
                )
            yield from _walk(
                pattern.url_patterns, route, inner, kwargs + names, positional + count
            )
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(
                key=name or route,
                name=name,
                route=route,
                kwarg_names=kwargs + names,
                positional=positional + count,
            )


def routes() -> list[Route]:
    """Every URL pattern of the project (one per pattern; a name used by two
    patterns, such as Wagtail's settings edit with and without a pk, gives two)."""
    return list(_walk(get_resolver().url_patterns))


def matches_of(key: str) -> list[tuple[str, Entry | Rule]]:
    found: list[tuple[str, Entry | Rule]] = []
    if key in ENTRIES:
        found.append((f"ENTRIES[{key!r}]", ENTRIES[key]))
    found += [(f"Rule({r.prefix!r})", r) for r in RULES if key.startswith(r.prefix)]
    return found


def how_to_add(key: str) -> str:
    return (
        f"Add one line to ENTRIES in tests/permission_matrix.py, e.g. "
        f"`{key!r}: Entry(city_only(NOT_FOUND)),`, with the outcome each role must "
        f"get (helpers: admin(), city_only(), district_own(), public(); kwargs= "
        f"for URL arguments), or, for a Wagtail area, a Rule or a Rule override."
    )


# --- the cases the test runs --------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One URL (with its objects) and the outcome each role must get."""

    id: str
    route: Route
    cells: dict[str, str]
    kwargs: Kwargs | None = None
    url: Callable[[object], str] | None = None
    xfail: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # set when the URL is not matched by exactly one entry or rule


def cases(all_routes: list[Route]) -> list[Case]:
    keys = [route.key for route in all_routes]
    found: list[Case] = []
    for route in all_routes:
        case_id = (
            route.key if keys.count(route.key) == 1 else f"{route.key} ({route.route})"
        )
        matched = matches_of(route.key)
        if len(matched) != 1:
            problem = (
                f"{route.key!r} ({route.route}) has no entry. {how_to_add(route.key)}"
                if not matched
                else f"{route.key!r} is matched by {', '.join(w for w, _ in matched)}: "
                f"keep exactly one (remove the entry or narrow the rule)."
            )
            found.append(Case(case_id, route, {}, problem=problem))
            continue
        _where, entry = matched[0]
        if entry == PAGES:
            continue  # expanded into the live pages: see PAGE_TYPES
        if isinstance(entry, Rule):
            rest = route.key[len(entry.prefix) :]
            cells = entry.overrides.get(rest, entry.cells)
            found.append(Case(case_id, route, cells, kwargs=entry.kwargs))
            continue
        found.append(
            Case(case_id, route, entry.cells, entry.kwargs, entry.url, entry.xfail)
        )
        for label, variant in entry.also.items():
            found.append(
                Case(
                    f"{case_id}[{label}]",
                    route,
                    variant.cells,
                    variant.kwargs,
                    variant.url,
                    variant.xfail,
                )
            )
    return found


def stale_entries(all_routes: list[Route]) -> list[str]:
    """Entries and rules that match no URL any more (a renamed or removed URL)."""
    keys = {route.key for route in all_routes}
    stale = [f"ENTRIES[{key!r}]" for key in ENTRIES if key not in keys]
    stale += [
        f"Rule({rule.prefix!r})"
        for rule in RULES
        if not any(key.startswith(rule.prefix) for key in keys)
    ]
    stale += [
        f"Rule({rule.prefix!r}).overrides[{rest!r}]"
        for rule in RULES
        for rest in rule.overrides
        if rule.prefix + rest not in keys
    ]
    return stale
