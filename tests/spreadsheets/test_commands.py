"""export_report_template and import_monthly_report: output and exit codes."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from reporting.models import MonthlyReport
from reporting.selectors import version_values

from .conftest import FEB as FEBRUARY
from .conftest import FEB_SPENDING, FEB_VALUES, fill


def run_command(*argv) -> tuple[int, str, str]:
    """Run as `manage.py …` would: the exit code (a CommandError's returncode,
    which run_from_argv exits with), stdout and the error message."""
    from django.core.management.base import CommandError

    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(*argv, stdout=stdout, stderr=stderr)
    except CommandError as error:
        return error.returncode, stdout.getvalue(), str(error)
    return 0, stdout.getvalue(), stderr.getvalue()


def test_export_writes_the_template(tmp_path, bupyeong_project):
    target = tmp_path / "feb.xlsx"
    code, out, _err = run_command(
        "export_report_template",
        "--project",
        bupyeong_project.code,
        "--period",
        "2019-02",
        "-o",
        str(target),
    )
    assert code == 0 and str(target) in out
    assert load_workbook(target)["_sangsaeng"]["B3"].value == "2019-02"


def test_export_refuses_a_project_the_user_may_not_see(
    tmp_path, bupyeong_project, seogu_officer
):
    code, _out, err = run_command(
        "export_report_template",
        "--project",
        bupyeong_project.code,
        "--period",
        "2019-02",
        "-o",
        str(tmp_path / "x.xlsx"),
        "--user",
        seogu_officer.username,
    )
    assert code == 1 and "you may see" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_import_dry_run_prints_the_preview_and_saves_nothing(
    tmp_path, bupyeong_project
):
    path = tmp_path / "feb.xlsx"
    path.write_bytes(
        fill(bupyeong_project, FEBRUARY, values=FEB_VALUES, spending=FEB_SPENDING)
    )
    code, out, _err = run_command("import_monthly_report", str(path), "--dry-run")
    assert code == 0
    assert "변경: 방문 가구: – → 110" in out
    assert "dry run: nothing saved" in out
    assert not MonthlyReport.objects.exists()


def test_import_saves_as_the_officer_and_exits_zero(
    tmp_path, bupyeong_project, bupyeong_officer
):
    path = tmp_path / "feb.xlsx"
    path.write_bytes(
        fill(bupyeong_project, FEBRUARY, values=FEB_VALUES, spending=FEB_SPENDING)
    )
    code, out, _err = run_command(
        "import_monthly_report", str(path), "--user", bupyeong_officer.username
    )
    assert code == 0 and "saved:" in out
    report = MonthlyReport.objects.get(project=bupyeong_project, period=FEBRUARY)
    assert version_values(report.current_version)["visits"]["total"] == 300
    code, out, _err = run_command(
        "import_monthly_report", str(path), "--user", bupyeong_officer.username
    )
    assert code == 0 and "unchanged: nothing saved" in out


def test_import_prints_cell_errors_and_exits_non_zero(
    tmp_path, bupyeong_project, bupyeong_officer
):
    path = tmp_path / "feb.xlsx"
    path.write_bytes(
        fill(
            bupyeong_project,
            FEBRUARY,
            values={**FEB_VALUES, "visits.total": "삼십"},
            spending=FEB_SPENDING,
        )
    )
    code, out, err = run_command(
        "import_monthly_report", str(path), "--user", bupyeong_officer.username
    )
    assert code == 1
    assert "오류: 실적 시트 D20: '삼십'은 숫자가 아닙니다\n" in out
    assert "nothing saved" in err
    assert not MonthlyReport.objects.exists()


@pytest.mark.parametrize("who", ["seogu", "nobody"])
def test_import_refuses_a_user_of_another_district_or_no_user(
    tmp_path, bupyeong_project, seogu_officer, who
):
    path = tmp_path / "feb.xlsx"
    path.write_bytes(
        fill(bupyeong_project, FEBRUARY, values=FEB_VALUES, spending=FEB_SPENDING)
    )
    argv = ["import_monthly_report", str(path)] + (
        ["--user", seogu_officer.username] if who == "seogu" else []
    )
    code, _out, err = run_command(*argv)
    assert code == 1
    assert (
        (f"사업 {bupyeong_project.code}이(가) 없거나 볼 권한이 없습니다" in err)
        if who == "seogu"
        else ("--user is required" in err)
    )
    assert not MonthlyReport.objects.exists()


def test_call_command_raises_on_a_missing_file():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("import_monthly_report", "/nonexistent.xlsx", "--dry-run")
