"""Celery the Django-Styleguide way: a task imports its services inside the
task; a service imports the tasks it sends at module level, as ``x_task``, and
sends them on commit. One direction at import time, so no task↔service circle,
and a reader of a service sees at the top which tasks it may send."""

import ast
from pathlib import Path

from django.conf import settings

from config.celery import app

ROOT = Path(__file__).resolve().parents[1]
APPS = (
    "accounts",
    "cms",
    "common",
    "competitions",
    "funding",
    "notifications",
    "projects",
    "reporting",
)


def _modules(predicate):
    for app_name in APPS:
        for path in sorted((ROOT / app_name).rglob("*.py")):
            if "migrations" not in path.parts and predicate(path):
                yield path


def _imported_name(node: ast.ImportFrom) -> str:
    return "." * node.level + (node.module or "")


def _is_service_module(path: Path) -> bool:
    return path.name == "services.py" or path.parent.name == "services"


def test_tasks_import_their_services_inside_the_task():
    offenders = []
    for path in _modules(lambda p: p.name == "tasks.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and "services" in _imported_name(node):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_services_import_the_tasks_they_send_at_module_level_as_x_task():
    found, offenders = 0, []
    for path in _modules(_is_service_module):
        tree = ast.parse(path.read_text())
        top_level = set(map(id, tree.body))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.ImportFrom)
                and _imported_name(node).split(".")[-1] == "tasks"
            ):
                continue
            found += 1
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if id(node) not in top_level:
                offenders.append(f"{where} imports a task inside a function")
            offenders += [
                f"{where} names {alias.name} without _task"
                for alias in node.names
                if not (alias.asname or alias.name).endswith("_task")
            ]
    assert found >= 6
    assert offenders == []


def test_task_names_and_the_beat_schedule_stay_as_workers_and_beat_know_them():
    app.loader.import_default_modules()
    ours = {name for name in app.tasks if name.split(".")[0] in APPS}
    assert ours == {
        "common.tasks.fail_stale_jobs",
        "common.tasks.job_selfcheck",
        "competitions.tasks.build_attachments_zip",
        "competitions.tasks.send_conflict_notice",
        "competitions.tasks.send_tie_notice",
        "funding.tasks.build_settlement_summary",
        "funding.tasks.send_settlement_reminders",
        "notifications.tasks.retry_failed_notifications",
        "notifications.tasks.send_daily_digests",
        "notifications.tasks.send_notifications",
        "reporting.evaluation.tasks.build_report_file",
        "reporting.evaluation.tasks.send_qualitative_reminders",
        "reporting.spreadsheets.tasks.delete_stale_uploads",
        "reporting.spreadsheets.tasks.import_historical_figures",
        "reporting.tasks.destroy_expired_rosters",
        "reporting.tasks.send_manual_reminder",
        "reporting.tasks.send_report_reminders",
    }
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= ours
