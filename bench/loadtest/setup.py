"""The load test's data, on top of the demo, and the count of what was lost.

``prepare()`` adds the people of the rush: 200 district officers spread over the
demo's districts, each with a complete draft proposal to the open 2027 call,
and three city managers with their own TOTP devices. Most officers signed in
earlier in the day (a session made here, as the sign-in form would); the others
and the city managers sign in during the rush. Every month the demo projects
may still file (October–December 2019) gets a draft, and each is given to one
officer of its district to upload workbooks to. ``count_lost()`` checks the
ledger of acknowledged writes the Locust users kept against the database.
"""

import os
import random
import time
from datetime import date
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, RoleGroup
from accounts.roles import Role

OFFICERS = int(os.environ.get("LOADTEST_OFFICERS", "200"))
CITY_MANAGERS = 3
SIGNING_IN_DURING_THE_RUSH = OFFICERS // 10
PASSWORD = "load-test-password-2027"
OPEN_MONTHS = [date(2019, 10, 1), date(2019, 11, 1), date(2019, 12, 1)]


def _open_call():
    from competitions.models import CallPage

    return CallPage.objects.live().get(year=2027)


def _session_key(user) -> str:
    """A session as the sign-in form leaves it (earlier in the day)."""
    request = RequestFactory().get("/admin/", REMOTE_ADDR="127.0.0.1")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    return request.session.session_key


def _codes_ahead(device, minutes: int = 30) -> dict[str, str]:
    """The device's codes for each time step of the next half hour, by Unix
    time step, computed with django-otp's own TOTP (the Locust users speak only
    HTTP and carry no Django)."""
    from django_otp.oath import TOTP

    totp = TOTP(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift,
    )
    now = int(time.time())
    codes = {}
    for offset in range(0, minutes * 60, device.step):
        totp.time = now + offset
        codes[str((now + offset - device.t0) // device.step)] = (
            f"{totp.token():0{device.digits}d}"
        )
    return codes


def _draft(call, officer, number: int):
    from competitions.models import (
        CallIndicator,
        CallTargetGroup,
        Proposal,
        ProposalBudgetLine,
        ProposalOutput,
        ProposalTargetGroup,
    )
    from competitions.services.proposals import proposal_save_draft

    group = CallTargetGroup.objects.filter(page=call).order_by("pk").first()
    proposal = Proposal(
        call=call,
        title=f"{officer.organisation.name_ko} 특화일자리 제안 {number}",
        summary="마감 직전까지 고치는 중",
        local_need="지역 일자리 수요",
        delivery_partners=f"{officer.organisation.name_ko} 일자리센터",
        period_start=date(2027, 5, 1),
        period_end=date(2027, 12, 1),
        city_share=60_000_000,
        district_share=60_000_000,
    )
    # Ordered as the admin form stores them (a form save leaves an unchanged row's
    # order as it found it, so rows made without one would stay unordered).
    proposal.target_groups = [
        ProposalTargetGroup(target_group=group, planned_jobs=12, sort_order=0)
    ]
    # One output, on the first of the call's catalogue indicators.
    offered = CallIndicator.objects.filter(page=call).order_by("pk").first()
    proposal.outputs = [
        ProposalOutput(indicator_id=offered.indicator_id, target=900, sort_order=0)
    ]
    proposal.budget_lines = [
        ProposalBudgetLine(category="인건비", amount=100_000_000, sort_order=0),
        ProposalBudgetLine(category="운영비", amount=20_000_000, sort_order=1),
    ]
    return proposal_save_draft(proposal=proposal, actor=officer)


def _open_month_drafts() -> list[dict]:
    """A draft for every month still open to the district (copying September's
    figures, as an officer starting the month would), one per project and month."""
    from projects.models import Project
    from reporting.models import MonthlyReport
    from reporting.selectors import month_figures
    from reporting.services import report_save_draft

    slots = []
    for project in Project.objects.select_related("district").order_by("code"):
        officer = (
            get_user_model()
            .objects.filter(
                organisation=project.district, groups__role__code=Role.DISTRICT_OFFICER
            )
            .order_by("pk")
            .first()
        )
        september = month_figures(project=project, period=date(2019, 9, 1))
        for period in OPEN_MONTHS:
            if not project.covers(period):
                continue
            if not MonthlyReport.objects.filter(
                project=project, period=period
            ).exists():
                values = {
                    measure: dict(figures) for measure, figures in september.items()
                }
                values["new_hires"] = {key: 0 for key in values.get("new_hires", {})}
                report_save_draft(
                    project=project,
                    period=period,
                    actor=officer,
                    values=values,
                    narrative="작성 중 / in progress",
                    now=timezone.now(),
                )
            report = MonthlyReport.objects.get(project=project, period=period)
            slots.append(
                {
                    "project_id": project.pk,
                    "month": period.strftime("%Y-%m"),
                    "report_id": report.pk,
                    "district": project.district.code,
                }
            )
    return slots


@transaction.atomic
def prepare(*, base_url: str) -> dict:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from competitions.services.proposals import proposal_submission_errors
    from competitions.workflow import COUNTING_STATUSES

    User = get_user_model()
    random.seed(2027)
    call = _open_call()
    districts = [
        d
        for d in Organisation.objects.filter(
            kind__in=Organisation.LOCAL_KINDS
        ).order_by("code")
        if call.is_eligible(d)
    ]
    password = make_password(PASSWORD)  # hashed once: 200 hashes would take minutes
    city = Organisation.objects.get(code="ICN")

    officers = []
    for index in range(OFFICERS):
        district = districts[index % len(districts)]
        officers.append(
            User(
                username=f"{district.code.lower()}-load-{index:03d}",
                password=password,
                organisation=district,
                email=f"load{index}@example.invalid",
            )
        )
    managers = [
        User(
            username=f"city-load-{index}",
            password=password,
            organisation=city,
            email=f"city-load{index}@example.invalid",
        )
        for index in range(CITY_MANAGERS)
    ]
    for users, role in (
        (officers, Role.DISTRICT_OFFICER),
        (managers, Role.CITY_MANAGER),
    ):
        group = RoleGroup.objects.get(code=role).group
        for user in users:
            user.save()
            user.groups.add(group)

    # One draft each; per district, as many officers as the call still takes
    # proposals from it will press "submit", so no one meets the limit.
    now = timezone.now()
    people = []
    submitters_left = {
        d.pk: call.max_proposals_per_district
        - call.proposals.filter(district=d, status__in=COUNTING_STATUSES).count()
        for d in districts
    }
    for number, officer in enumerate(officers, start=1):
        proposal = _draft(call, officer, number)
        errors = proposal_submission_errors(proposal=proposal, now=now)
        if errors:
            raise RuntimeError(f"the load test's draft would not be accepted: {errors}")
        submits = submitters_left[officer.organisation_id] > 0
        submitters_left[officer.organisation_id] -= int(submits)
        people.append(
            {
                "username": officer.username,
                "district": officer.organisation.code,
                "proposal_id": proposal.pk,
                "submits": submits,
                "uploads": [],
                "session": None,
            }
        )
    slots = _open_month_drafts()
    for slot in slots:
        # One officer per month (two colleagues overwriting one draft is not a
        # rush), not one who came to submit the district's proposal: each
        # does the one job, and both are measured on many requests.
        candidates = [
            p
            for p in people
            if p["district"] == slot["district"]
            and not p["uploads"]
            and not p["submits"]
        ]
        (
            candidates[0]
            if candidates
            else next(p for p in people if p["district"] == slot["district"])
        )["uploads"].append(slot)
    signing_in = set(random.sample(range(len(people)), SIGNING_IN_DURING_THE_RUSH))
    for index, person in enumerate(people):
        if index not in signing_in:
            person["session"] = _session_key(
                User.objects.get(username=person["username"])
            )

    city_managers = []
    for manager in managers:
        device = TOTPDevice.objects.create(user=manager, name="load", confirmed=True)
        city_managers.append(
            {
                "username": manager.username,
                "step": device.step,
                "t0": device.t0,
                "codes": _codes_ahead(device),
            }
        )
    return {
        "base_url": base_url,
        "password": PASSWORD,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "call_id": call.pk,
        "officers": people,
        "city_managers": city_managers,
        "urls": {
            "login": reverse("wagtailadmin_login"),
            "home": reverse("wagtailadmin_home"),
            "proposal_edit": reverse("proposals:edit", args=[0]),
            "proposal_inspect": reverse("proposals:inspect", args=[0]),
            "template": reverse("spreadsheets_template", args=[0, "2019-10"]),
            "upload": reverse("spreadsheets_upload", args=[0, "2019-10"]),
            "report": reverse("reporting_report", args=[0]),
            "dashboard": reverse("evaluation_dashboard"),
            "proposals": reverse("proposals:index"),
            "overdue": reverse("reporting_overdue"),
        },
    }


def count_lost(ledger: list[dict]) -> dict:
    """Acknowledged writes missing from the database.

    * a submission: its receipt number is on a submitted proposal;
    * a draft save or an upload: the proposal (the report's current version)
      holds the last text its one writer was told was saved, or the text of a
      write that person sent after it (answered or cut off by the end of the
      run): each proposal and each month has one writer, so nothing else may
      replace an acknowledged write.
    """
    from competitions.models import Proposal, ProposalStatus
    from reporting.models import MonthlyReport

    lost = {"submission": 0, "upload": 0, "draft": 0}
    acknowledged = {"submission": 0, "upload": 0, "draft": 0}
    writes: dict[tuple, list[dict]] = {}
    for entry in ledger:
        acknowledged[entry["kind"]] += entry["acknowledged"]
        if entry["kind"] == "submission":
            kept = Proposal.objects.filter(
                pk=entry["proposal_id"],
                receipt_number=entry["receipt"],
                status=ProposalStatus.SUBMITTED,
            ).exists()
            lost["submission"] += not kept
        elif entry["kind"] == "upload":
            writes.setdefault(("upload", entry["report_id"]), []).append(entry)
        else:
            writes.setdefault(("draft", entry["proposal_id"]), []).append(entry)
    for (kind, pk), entries in writes.items():  # each in the order its writer sent them
        answered = [
            index for index, entry in enumerate(entries) if entry["acknowledged"]
        ]
        if not answered:
            continue
        may_hold = {
            entry["narrative" if kind == "upload" else "summary"]
            for entry in entries[answered[-1] :]
        }
        if kind == "upload":
            report = (
                MonthlyReport.objects.select_related("current_version")
                .filter(pk=pk)
                .first()
            )
            holds = report.current_version.narrative if report else None
        else:
            holds = (
                Proposal.objects.filter(pk=pk).values_list("summary", flat=True).first()
            )
        lost[kind] += holds not in may_hold
    return {"lost": lost, "acknowledged": acknowledged}
