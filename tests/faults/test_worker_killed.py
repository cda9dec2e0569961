"""The Celery worker is killed (SIGKILL) in the middle of the historical import:
the database holds nothing of the interrupted run, and the worker that starts
next finishes the import, whole. A job that kills its worker every time is
given up with a message; a second delivery of a job never runs it twice."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from common.models import BackgroundJob
from common.services import (
    MAX_ATTEMPTS,
    JobNotClaimed,
    current_worker,
    given_up_message,
    job_mark_running,
    job_start,
    jobs_fail_stale,
    jobs_recover_orphans,
    stale_message,
    worker_started,
)
from config.celery import app as celery_app
from reporting.models import MonthlyReport, ReportStatus, ReportValue
from reporting.selectors import month_figures
from reporting.services import report_reopen
from reporting.spreadsheets.storage import stored_upload_save
from reporting.spreadsheets.tasks import import_historical_figures
from reporting.spreadsheets.views import BULK_JOB_KIND
from tests.conftest import empty_broker, start_celery_worker, stop_celery_worker
from tests.helpers import wait_for
from tests.projects.fixtures import JAN, make_project
from tests.reporting.helpers import accept_month, figures, kst
from tests.spreadsheets.test_bulk import long_xlsx, month_rows

DISTRICTS = ["JG", "DG", "MH", "YS", "ND", "BP", "GY", "SG"]
MONTHS = [f"2019-{month:02d}" for month in range(2, 13)]


@pytest.fixture
def a_large_import(orgs, city_manager):
    """Eleven new months for each of 16 projects (704 figures), and one
    reopened month whose correction the same file brings."""
    projects = [
        make_project(orgs[DISTRICTS[index % len(DISTRICTS)]], title=f"사업 {index}")
        for index in range(16)
    ]
    first = projects[0]
    officer = _officer_of(first, orgs)
    january = accept_month(
        first, officer, city_manager, JAN, values=figures(women=3, households=100)
    )
    report_reopen(
        report=january,
        actor=city_manager,
        reason="방문 가구 수 정정",
        now=kst(2019, 3, 1, 9),
    )
    rows = [
        row
        for project in projects
        for month in MONTHS
        for row in month_rows(project.code, month)
    ]
    rows.append((first.code, "2019-01", "output", "households", 120))
    stored = stored_upload_save(long_xlsx(rows), "past.xlsx")
    return {"projects": projects, "january": january, "stored": stored}


def _officer_of(project, orgs):
    from accounts.roles import Role
    from tests.factories import UserFactory

    return UserFactory(
        username=f"t-officer-{project.district.code}",
        organisation=project.district,
        role=Role.DISTRICT_OFFICER,
    )


def _imported_months() -> int:
    return MonthlyReport.objects.exclude(period=JAN).count()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_inside_the_import_leaves_nothing_and_the_next_worker_finishes_it(
    a_large_import, city_manager, tmp_path
):
    pause_file = tmp_path / "paused"
    empty_broker()
    celery_app.conf.task_always_eager = False
    workers = []
    try:
        first = start_celery_worker(
            "--include",
            "tests.faults.worker_pause",
            SANGSAENG_FAULT_PAUSE_FILE=str(pause_file),
        )
        workers.append(first)
        job = job_start(
            kind=BULK_JOB_KIND,
            owner=city_manager,
            task=import_historical_figures,
            parameters={
                "stored_name": a_large_import["stored"],
                "filename": "past.xlsx",
            },
        )
        assert wait_for(pause_file.exists, timeout=90), (
            "the worker never reached the import's writes"
        )
        job.refresh_from_db()
        assert job.status == BackgroundJob.Status.RUNNING and job.attempts == 1

        first.kill()  # SIGKILL: no clean-up, no acknowledgement, transaction open
        first.wait(timeout=20)

        # Nothing of the interrupted run is in the database.
        assert _imported_months() == 0
        assert ReportValue.objects.exclude(period=JAN).count() == 0
        january = MonthlyReport.objects.get(pk=a_large_import["january"].pk)
        assert january.status == ReportStatus.DRAFT and not january.is_locked
        assert (
            month_figures(project=january.project, period=JAN)["households"]["total"]
            == 100
        )
        job.refresh_from_db()
        assert job.status == BackgroundJob.Status.RUNNING  # no one knows yet

        # The worker starts again (as systemd or docker would restart it).
        workers.append(start_celery_worker())

        def finished():
            job.refresh_from_db()
            return job.is_finished

        assert wait_for(finished, timeout=120), (
            "the restarted worker did not finish the import"
        )
    finally:
        celery_app.conf.task_always_eager = True
        outputs = [stop_celery_worker(worker) for worker in workers]
    assert job.status == BackgroundJob.Status.SUCCEEDED, (
        job.message,
        outputs[-1][-3000:],
    )
    assert job.attempts == 2
    # The whole import, once: 16 projects × 11 months, 4 figures each.
    assert _imported_months() == 16 * 11
    assert (
        MonthlyReport.objects.exclude(period=JAN).filter(is_locked=True).count()
        == 16 * 11
    )
    assert (
        ReportValue.objects.exclude(period=JAN).filter(in_force=True).count()
        == 16 * 11 * 4
    )
    assert ReportValue.objects.exclude(period=JAN).count() == 16 * 11 * 4
    january.refresh_from_db()
    assert january.is_locked and january.status == ReportStatus.ACCEPTED
    assert (
        month_figures(project=january.project, period=JAN)["households"]["total"] == 120
    )


# --- the rules behind it, without a worker process ---------------------------


@pytest.fixture(autouse=True)
def _this_process_is_no_worker_again():
    from common import services

    saved = dict(services._this_worker)
    yield
    services._this_worker.update(saved)


def _job(**fields) -> BackgroundJob:
    return BackgroundJob.objects.create(
        kind=BULK_JOB_KIND, task_name=import_historical_figures.name, **fields
    )


def test_a_job_left_running_by_this_nodes_previous_worker_is_sent_again(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    worker_started(nodename="celery@node-a")
    dead = current_worker()
    worker_started(nodename="celery@node-a")  # the same node, started again
    job = _job(status=BackgroundJob.Status.RUNNING, worker=dead, attempts=1)
    sent = []
    monkeypatch.setattr(
        celery_app, "send_task", lambda name, args: sent.append((name, args))
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs_recover_orphans()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.PENDING and job.worker == ""
    assert "다시 시작" in job.message and "starts again" not in job.message
    assert sent == [(import_historical_figures.name, [str(job.pk)])]


def test_a_job_that_stopped_its_worker_every_time_is_given_up_with_a_message(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    worker_started(nodename="celery@node-a")
    dead = current_worker()
    worker_started(nodename="celery@node-a")
    job = _job(status=BackgroundJob.Status.RUNNING, worker=dead, attempts=MAX_ATTEMPTS)
    sent = []
    monkeypatch.setattr(
        celery_app, "send_task", lambda name, args: sent.append((name, args))
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs_recover_orphans()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.finished_at is not None
    with translation.override("ko"):  # the owner's language, Korean by default
        assert job.message == given_up_message(MAX_ATTEMPTS)
    assert "아무것도 저장되지 않았습니다" in job.message
    assert "nothing was saved" not in job.message  # one language, the owner's
    assert sent == []


def test_jobs_of_a_live_worker_or_of_another_node_are_left_alone(db):
    worker_started(nodename="celery@node-a")
    node, boot, _pid = current_worker().split("|")
    # Another live process of this very worker (a prefork sibling) holds it.
    sibling = f"{node}|{boot}|{os.getppid()}"
    mine = _job(status=BackgroundJob.Status.RUNNING, worker=sibling, attempts=1)
    elsewhere = _job(
        status=BackgroundJob.Status.RUNNING, worker="celery@node-b|x|1", attempts=1
    )
    assert jobs_recover_orphans() == []
    for job in (mine, elsewhere):
        job.refresh_from_db()
        assert job.status == BackgroundJob.Status.RUNNING


def test_a_second_delivery_of_a_finished_or_running_job_does_not_run_it(db):
    worker_started(nodename="celery@node-a")
    done = _job(status=BackgroundJob.Status.SUCCEEDED, attempts=1)
    with pytest.raises(JobNotClaimed):
        job_mark_running(job=done)
    running_elsewhere = _job(
        status=BackgroundJob.Status.RUNNING, worker="celery@node-b|x|1", attempts=1
    )
    with pytest.raises(JobNotClaimed):
        job_mark_running(job=running_elsewhere)
    for job in (done, running_elsewhere):
        job.refresh_from_db()
        assert job.attempts == 1
    assert (
        BackgroundJob.objects.get(pk=done.pk).status == BackgroundJob.Status.SUCCEEDED
    )


def test_a_redelivered_job_whose_worker_died_runs_again(db):
    worker_started(nodename="celery@node-a")
    dead = current_worker()
    worker_started(nodename="celery@node-a")
    job = _job(status=BackgroundJob.Status.RUNNING, worker=dead, attempts=1)
    job_mark_running(job=job, total=10)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.RUNNING and job.attempts == 2
    assert job.worker == current_worker()


def test_a_job_that_fails_on_an_unexpected_error_says_so(db, city_manager, monkeypatch):
    from reporting.spreadsheets import bulk

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bulk, "bulk_import_file", broken)
    stored = stored_upload_save(long_xlsx(month_rows("X", "2019-01")), "past.xlsx")
    job = _job(
        owner=city_manager, parameters={"stored_name": stored, "filename": "past.xlsx"}
    )
    # As a worker runs it: the error is recorded, not raised to the caller.
    outcome = import_historical_figures.apply(args=[str(job.pk)], throw=False)
    assert outcome.failed()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    assert "예기치 못한 오류" in job.message and "unexpected error" not in job.message


def test_a_job_with_no_sign_of_life_for_hours_is_failed_with_a_message(db):
    waiting = _job(status=BackgroundJob.Status.PENDING)
    running = _job(
        status=BackgroundJob.Status.RUNNING, worker="celery@gone|x|1", attempts=1
    )
    fresh = _job(
        status=BackgroundJob.Status.RUNNING, worker="celery@node|x|1", attempts=1
    )
    long_ago = timezone.now() - timedelta(hours=3)
    BackgroundJob.objects.filter(pk__in=[waiting.pk, running.pk]).update(
        updated_at=long_ago
    )
    assert jobs_fail_stale() == 2
    stale_messages = set()
    for language in ("ko", "en"):
        with translation.override(language):
            stale_messages.add(stale_message(2))
    for job in (waiting, running):
        job.refresh_from_db()
        assert (
            job.status == BackgroundJob.Status.FAILED
            and job.message in stale_messages
            and "시간" in job.message
        )
    fresh.refresh_from_db()
    assert fresh.status == BackgroundJob.Status.RUNNING
