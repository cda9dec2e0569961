"""What the audit trail records: who did it, when, and which fields changed."""

import json
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common import audit
from competitions import services as competition_services
from competitions.models import (
    CallTargetGroup,
    ConflictDeclaration,
    CriterionScore,
    Decision,
    ProposalStatus,
    ProposalTargetGroup,
    SelectionDecision,
)
from projects.models import ChangeRequest, PlanTargetGroup
from projects.services import change_request_approve, change_request_propose, plan_data
from reporting.models import MonthlyReport, ReportStatus
from reporting.services import report_save_draft
from tests.competitions.conftest import AFTER_DEADLINE, make_draft
from tests.reporting.helpers import figures, file_month, kst

from .conftest import changed, entries_of

A = LogEntry.Action
MAR = date(2019, 3, 1)


def test_submitting_a_proposal_in_the_admin_records_the_officer_and_the_status_change(
    client, open_call, bupyeong_officer
):
    draft = make_draft(open_call, bupyeong_officer, now=timezone.now())
    client.force_login(bupyeong_officer)

    response = client.post(reverse("proposals:transition", args=[draft.pk, "submit"]))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ProposalStatus.SUBMITTED
    updates = entries_of(draft, action=A.UPDATE)
    status_entry = next(e for e in updates if changed(e, "status"))
    assert changed(status_entry, "status") == (
        ProposalStatus.DRAFT,
        ProposalStatus.SUBMITTED,
    )
    assert status_entry.actor == bupyeong_officer
    receipt_entry = next(e for e in updates if changed(e, "receipt_number"))
    assert changed(receipt_entry, "receipt_number") == (None, draft.receipt_number)
    assert receipt_entry.actor == bupyeong_officer


def test_amending_a_submitted_proposal_records_each_changed_field_and_row(
    open_call, bupyeong_officer
):
    now = timezone.now()
    proposal = make_draft(open_call, bupyeong_officer, now=now)
    proposal = competition_services.proposal_submit(
        proposal=proposal, actor=bupyeong_officer, now=now, notify=False
    )
    old_row = proposal.target_groups.get()
    women = CallTargetGroup.objects.get(page=open_call, code="women")

    with audit.acting_as(bupyeong_officer):
        proposal.title = "찾아가는 육아코칭 (수정)"
        proposal.target_groups = [
            ProposalTargetGroup(target_group=women, planned_jobs=30)
        ]
        competition_services.proposal_amend(
            proposal=proposal, actor=bupyeong_officer, now=now
        )

    title_entry = next(
        e for e in entries_of(proposal, action=A.UPDATE) if changed(e, "title")
    )
    assert changed(title_entry, "title") == (
        "찾아가는 육아코칭활동가 양성",
        "찾아가는 육아코칭 (수정)",
    )
    assert title_entry.actor == bupyeong_officer
    [removed] = entries_of(old_row, action=A.DELETE)
    assert changed(removed, "planned_jobs") == (27, None)
    new_row = proposal.target_groups.get()
    [added] = entries_of(new_row, action=A.CREATE)
    assert changed(added, "planned_jobs") == (None, 30)
    assert removed.actor == added.actor == bupyeong_officer


def test_a_declaration_and_a_changed_score_are_recorded_with_the_reviewer(
    bupyeong_proposal, panel, city_manager
):
    reviewer = panel[1]
    with audit.acting_as(city_manager):
        assignment = competition_services.assignment_create(
            proposal=bupyeong_proposal,
            reviewer=reviewer,
            actor=city_manager,
            now=AFTER_DEADLINE,
        )
    assert entries_of(assignment, action=A.CREATE)[0].actor == city_manager
    criteria = list(bupyeong_proposal.call.rubric_criteria.all())

    with audit.acting_as(reviewer):
        competition_services.conflict_declare(
            assignment=assignment,
            actor=reviewer,
            has_conflict=False,
            now=AFTER_DEADLINE,
            notify=False,
        )
        competition_services.review_save_draft(
            assignment=assignment,
            actor=reviewer,
            now=AFTER_DEADLINE,
            scores={criteria[0].pk: (30, ""), criteria[1].pk: (50, "")},
        )
        competition_services.review_save_draft(
            assignment=assignment,
            actor=reviewer,
            now=AFTER_DEADLINE,
            scores={criteria[0].pk: (35, ""), criteria[1].pk: (50, "")},
        )

    declaration = ConflictDeclaration.objects.get(
        proposal=bupyeong_proposal, reviewer=reviewer
    )
    [declared] = entries_of(declaration, action=A.CREATE)
    assert declared.actor == reviewer
    assert changed(declared, "has_conflict") == (None, False)
    score = CriterionScore.objects.get(
        review__assignment=assignment, criterion=criteria[0]
    )
    [rescored] = entries_of(score, action=A.UPDATE)
    before, after = changed(rescored, "score")
    assert float(before) == 30 and float(after) == 35
    assert rescored.actor == reviewer
    unchanged = CriterionScore.objects.get(
        review__assignment=assignment, criterion=criteria[1]
    )
    assert entries_of(unchanged, action=A.UPDATE) == []


def test_a_selection_decision_is_recorded_with_its_reason_and_who_decided(
    bupyeong_proposal, panel, city_manager
):
    with audit.acting_as(city_manager):
        competition_services.selection_decide(
            proposal=bupyeong_proposal,
            decision=Decision.SELECTED,
            reason="예산 범위 내 고득점",
            actor=city_manager,
            now=AFTER_DEADLINE,
        )
        competition_services.selection_decide(
            proposal=bupyeong_proposal,
            decision=Decision.NOT_SELECTED,
            reason="지역 배분",
            actor=city_manager,
            now=AFTER_DEADLINE,
        )

    decision = SelectionDecision.objects.get(proposal=bupyeong_proposal)
    created, updated = entries_of(decision)
    assert created.action == A.CREATE and changed(created, "decision") == (
        None,
        Decision.SELECTED,
    )
    assert updated.action == A.UPDATE
    assert changed(updated, "decision") == (Decision.SELECTED, Decision.NOT_SELECTED)
    assert changed(updated, "reason") == ("예산 범위 내 고득점", "지역 배분")
    assert created.actor == updated.actor == city_manager


def test_accepting_and_returning_reports_in_the_admin_record_the_city_manager(
    client, bupyeong_project, bupyeong_officer, city_manager
):
    january = file_month(bupyeong_project, bupyeong_officer, date(2019, 1, 1))
    february = file_month(bupyeong_project, bupyeong_officer, date(2019, 2, 1))
    client.force_login(city_manager)

    client.post(
        reverse("reporting_report_action", args=[january.pk, "accept"]), {"note": ""}
    )
    client.post(
        reverse("reporting_report_action", args=[february.pk, "return"]),
        {"note": "방문 가구 수를 확인해 주세요"},
    )

    january.refresh_from_db()
    february.refresh_from_db()
    assert (
        january.status == ReportStatus.ACCEPTED
        and february.status == ReportStatus.RETURNED
    )
    locked = next(
        e for e in entries_of(january, action=A.UPDATE) if changed(e, "is_locked")
    )
    assert changed(locked, "is_locked") == (False, True)
    assert changed(locked, "accepted_version") == (None, january.accepted_version_id)
    assert locked.actor == city_manager
    returned = next(
        e
        for e in entries_of(february.current_version, action=A.UPDATE)
        if changed(e, "decision_comment")
    )
    assert changed(returned, "decision_comment") == ("", "방문 가구 수를 확인해 주세요")
    assert changed(returned, "decided_by") == (None, city_manager.pk)
    assert returned.actor == city_manager


def test_approving_a_change_of_targets_records_the_new_targets_and_the_decision(
    bupyeong_project, bupyeong_officer, city_manager
):
    proposed = plan_data(bupyeong_project.current_plan)
    proposed["target_groups"][0]["planned_jobs"] = 30
    with audit.acting_as(bupyeong_officer):
        request = change_request_propose(
            project=bupyeong_project,
            actor=bupyeong_officer,
            proposed=proposed,
            reason="참여 희망자 증가",
            effective_from=date(2019, 7, 1),
        )
    with audit.acting_as(city_manager):
        plan = change_request_approve(
            change_request=request, actor=city_manager, note="승인"
        )

    [proposed_entry] = entries_of(request, action=A.CREATE)
    assert proposed_entry.actor == bupyeong_officer
    [decided] = entries_of(ChangeRequest.objects.get(pk=request.pk), action=A.UPDATE)
    assert changed(decided, "status") == ("proposed", "approved")
    assert decided.actor == city_manager
    women = PlanTargetGroup.objects.get(plan=plan, code="women")
    [created] = entries_of(women, action=A.CREATE)
    assert changed(created, "planned_jobs") == (None, 30)
    assert changed(created, "plan") == (None, plan.pk)
    assert created.actor == city_manager
    assert len(entries_of(plan, action=A.CREATE)) == 1


def test_changed_figures_are_one_entry_on_the_version_not_one_per_figure(
    bupyeong_project, bupyeong_officer, commit_callbacks
):
    with audit.acting_as(bupyeong_officer), commit_callbacks():
        version = report_save_draft(
            project=bupyeong_project,
            period=MAR,
            actor=bupyeong_officer,
            values=figures(women=3),
            now=kst(2019, 4, 3, 9),
        )
    with audit.acting_as(bupyeong_officer), commit_callbacks():
        report_save_draft(
            project=bupyeong_project,
            period=MAR,
            actor=bupyeong_officer,
            values=figures(women=5, visits=300),
            now=kst(2019, 4, 3, 10),
        )

    first, second = [
        e
        for e in entries_of(version)
        if any(k.startswith("figure:") for k in e.changes)
    ]
    assert changed(first, "figure:new_hires.women") == (None, 3)
    assert second.changes == {
        "figure:new_hires.women": [3, 5],
        "figure:employed.women": [3, 5],
        "figure:visits.total": [280, 300],
    }
    assert second.actor == bupyeong_officer
    assert not LogEntry.objects.filter(content_type__model="reportvalue").exists()


def test_a_roster_never_reaches_the_trail_only_its_size(
    bupyeong_project, bupyeong_officer, commit_callbacks
):
    roster = [
        {
            "participant_code": "BP-771",
            "target_group_code": "women",
            "hire_date": "2019-03-04",
            "end_date": None,
        },
        {
            "participant_code": "BP-772",
            "target_group_code": "women",
            "hire_date": "2019-03-11",
            "end_date": None,
        },
    ]
    with audit.acting_as(bupyeong_officer), commit_callbacks():
        version = report_save_draft(
            project=bupyeong_project,
            period=MAR,
            actor=bupyeong_officer,
            values={"households": {"total": 50}},
            roster=roster,
            now=kst(2019, 4, 3, 9),
        )
    # A name is not a pseudonymous code: refused, and nothing of it is kept.
    with (
        audit.acting_as(bupyeong_officer),
        commit_callbacks(),
        pytest.raises(ValidationError),
    ):
        report_save_draft(
            project=bupyeong_project,
            period=MAR,
            actor=bupyeong_officer,
            values={},
            roster=[{**roster[0], "participant_code": "홍길동"}],
            now=kst(2019, 4, 3, 10),
        )

    trail = json.dumps(
        [[e.object_repr, e.changes, e.additional_data] for e in LogEntry.objects.all()],
        ensure_ascii=False,
    )
    assert "BP-771" not in trail and "BP-772" not in trail and "홍길동" not in trail
    assert not LogEntry.objects.filter(content_type__model="rosterentry").exists()
    figures_entry = next(
        e for e in entries_of(version) if audit.ROSTER_COUNT in e.changes
    )
    assert changed(figures_entry, audit.ROSTER_COUNT) == (None, 2)


def test_a_bulk_import_is_one_entry_with_its_counts_and_months(
    bupyeong_project, city_manager
):
    entry = audit.record_bulk_import(
        actor=city_manager,
        counts={
            "new": 40,
            "updated": 0,
            "unchanged": 2,
            "rejected": 0,
            "months_created": 3,
        },
        months=[
            (bupyeong_project.code, date(2019, 2, 1)),
            (bupyeong_project.code, date(2019, 1, 1)),
            (bupyeong_project.code, date(2019, 2, 1)),
            ("2019-SG-01", date(2019, 1, 1)),
        ],
        filename="history-2019.xlsx",
    )

    assert LogEntry.objects.count() - LogEntry.objects.exclude(pk=entry.pk).count() == 1
    assert entry.actor == city_manager
    assert entry.additional_data["months"] == {
        bupyeong_project.code: ["2019-01", "2019-02"],
        "2019-SG-01": ["2019-01"],
    }
    assert entry.additional_data["counts"]["new"] == 40


def test_a_report_entry_knows_its_report_for_the_access_rules(
    bupyeong_project, bupyeong_officer
):
    version = report_save_draft(
        project=bupyeong_project,
        period=MAR,
        actor=bupyeong_officer,
        values=figures(),
        now=kst(2019, 4, 3, 9),
    )
    report = MonthlyReport.objects.get(pk=version.report_id)
    [created] = entries_of(report, action=A.CREATE)
    assert created.additional_data == {"scope": "report", "scope_id": report.pk}
    assert entries_of(version, action=A.CREATE)[0].additional_data == {
        "scope": "version",
        "scope_id": version.pk,
    }


def test_a_change_made_after_a_request_is_not_put_on_that_requests_user(
    client, open_call, bupyeong_officer
):
    """A service run outside any request (a task run in-process, a command)
    records no one, not the user of the request the thread served last."""
    draft = make_draft(open_call, bupyeong_officer, now=timezone.now())
    client.force_login(bupyeong_officer)
    assert (
        client.post(
            reverse("proposals:transition", args=[draft.pk, "submit"])
        ).status_code
        == 302
    )
    assert audit.current_actor() is None

    draft.refresh_from_db()
    draft.summary = "명령으로 고친 요약 / summary fixed by a command"
    draft.save()

    entry = entries_of(draft, action=A.UPDATE)[-1]
    assert changed(entry, "summary") is not None
    assert entry.actor is None
