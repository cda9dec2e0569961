"""The pieces of `make scaletest` (bench/scaletest/) that run without nodes:
what each node is given, how forms are read and filled, how results add up.
The multi-node run itself is `make scaletest` (nightly, see docs/deploy.md)."""

import io
import signal
import subprocess
import sys
from datetime import date

import pytest
from openpyxl import load_workbook

from bench.loadtest.html_forms import form_with, replaced
from bench.scaletest import __main__ as driver
from bench.scaletest import cluster, scenarios
from tests.projects.fixtures import bupyeong_project  # noqa: F401

PAGE = """
<form action="/admin/save/" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <input name="title" value="부평 일자리">
  <textarea name="summary">요약 &amp; 계획</textarea>
  <input type="checkbox" name="agree" value="yes" checked>
  <input type="checkbox" name="unticked" value="no">
  <select name="district"><option value="BP">부평</option>
    <option value="SG" selected>서구</option></select>
  <select name="kind"><option value="xlsx">Excel</option></select>
  <input type="file" name="file"><button type="submit" name="go">Save</button>
  <template><input name="new-row" value="x"></template>
</form>
<form action="/search/"><input name="q"></form>
"""


def test_a_form_is_read_as_a_browser_would_send_it():
    form = form_with(PAGE, "summary")
    assert form["action"] == "/admin/save/"
    assert form["fields"] == [
        ["csrfmiddlewaretoken", "abc"],
        ["title", "부평 일자리"],
        ["summary", "요약 & 계획"],
        ["agree", "yes"],
        ["district", "SG"],
        ["kind", "xlsx"],
    ]
    assert form_with(PAGE, "q")["action"] == "/search/"
    assert form_with(PAGE, "nowhere") is None


def test_replaced_changes_only_the_named_fields_in_place():
    fields = form_with(PAGE, "summary")["fields"]
    changed = replaced(fields, summary="새 요약")
    assert changed[2] == ["summary", "새 요약"]
    assert [f for i, f in enumerate(changed) if i != 2] == [
        f for i, f in enumerate(fields) if i != 2
    ]


def _nodes(tmp_path, flavour):
    shared = cluster.shared_environment(
        flavour=flavour,
        work=tmp_path,
        secret_key="s" * 64,
        s3_endpoint="http://127.0.0.1:9000",
    )
    return [
        cluster.node_environment(shared, work=tmp_path, name=name)
        for name in ("a", "b", "worker")
    ]


SHARED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "SANGSAENG_CACHE_URL",
    "SANGSAENG_STORAGE",
    "DJANGO_SECRET_KEY",
)


@pytest.mark.parametrize("flavour", ["filesystem", "s3"])
def test_nodes_share_only_the_database_redis_storage_and_secret(tmp_path, flavour):
    a, b, worker = _nodes(tmp_path, flavour)
    for key in SHARED:
        assert a[key] == b[key] == worker[key], key
    for key in ("SANGSAENG_VAR_DIR", "DJANGO_MEDIA_ROOT"):
        assert len({a[key], b[key], worker[key]}) == 3, f"{key} is shared"
    assert a["SANGSAENG_CACHE_URL"] != a["CELERY_BROKER_URL"], (
        "the cache has a Redis database of its own (a restore clears it)"
    )


def test_filesystem_nodes_share_one_folder_standing_in_for_a_nas(tmp_path):
    a, b, worker = _nodes(tmp_path, "filesystem")
    assert a["DJANGO_PRIVATE_ROOT"] == b["DJANGO_PRIVATE_ROOT"]
    assert worker["DJANGO_PRIVATE_ROOT"] == a["DJANGO_PRIVATE_ROOT"]
    assert "SANGSAENG_S3_BUCKET" not in a


def test_s3_nodes_share_no_folder_at_all(tmp_path):
    a, b, worker = _nodes(tmp_path, "s3")
    assert len({a["DJANGO_PRIVATE_ROOT"], b["DJANGO_PRIVATE_ROOT"]}) == 2
    assert a["SANGSAENG_S3_ENDPOINT_URL"] == "http://127.0.0.1:9000"
    assert a["SANGSAENG_S3_BUCKET"] == worker["SANGSAENG_S3_BUCKET"]


@pytest.mark.django_db
def test_the_filled_workbook_adds_one_hire_and_the_narrative(bupyeong_project):  # noqa: F811
    from reporting.spreadsheets.template import build_template

    october = date(2019, 10, 1)
    filled = scenarios.filled_workbook(
        build_template(project=bupyeong_project, period=october),
        narrative="A에서 미리보기",
        new_hires=1,
    )
    workbook = load_workbook(io.BytesIO(filled))
    sheet, cells = workbook["실적"], {}
    for row in workbook["_sangsaeng"].iter_rows(min_row=6, values_only=True):
        if row[0] == "figure":
            cells.setdefault(row[1], []).append(sheet[row[3]].value or 0)
        elif row[0] == "narrative":
            assert sheet[row[3]].value == "A에서 미리보기"
    assert cells["new_hires"][0] == 1 and sum(cells["new_hires"]) == 1
    assert cells["employed"][0] >= 1


def test_a_failed_scenario_fails_the_run_and_says_why(capsys):
    results = driver.Results()
    results.run("scale_fine", lambda: None)
    results.run("scale_counted", lambda: 3)
    assert not results.failed

    def broken():
        scenarios.expect(False, "confirm on B: 400 /admin/")

    results.run("scale_broken", broken)
    assert results.failed
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        "scale_fine: ok",
        "scale_counted: ok (3)",
        "scale_broken: failed: Failed: confirm on B: 400 /admin/",
    ]


def test_the_demo_template_is_made_again_when_a_migration_changes(
    tmp_path, monkeypatch
):
    migrations = tmp_path / "reporting" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_initial.py").write_text("one")
    (tmp_path / "requirements.txt").write_text("Django==5.2")
    monkeypatch.setattr(cluster, "ROOT", tmp_path)
    first = driver.demo_fingerprint()
    assert driver.demo_fingerprint() == first
    (migrations / "0002_more.py").write_text("two")
    assert driver.demo_fingerprint() != first


def _sleeper(cwd) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", "config"],
        cwd=cwd,
        start_new_session=True,
    )


def test_nodes_a_killed_run_left_behind_are_stopped_by_their_ids(tmp_path, monkeypatch):
    """Only the recorded ids of processes started here are stopped, never a
    process that merely reuses an id."""
    monkeypatch.setattr(cluster, "PID_FILE", tmp_path / "nodes.pids")
    left_behind = _sleeper(cluster.ROOT)
    stranger = _sleeper(tmp_path)
    try:
        cluster.PID_FILE.write_text(f"{left_behind.pid}\n{stranger.pid}\n")
        assert cluster.stop_leftover_nodes() == [left_behind.pid]
        assert left_behind.wait(timeout=10) == -signal.SIGKILL
        assert stranger.poll() is None
        assert not cluster.PID_FILE.exists()
    finally:
        for process in (left_behind, stranger):
            process.kill()
            process.wait()
