"""Every admin page links the print stylesheet: printed, a detail page keeps
its content and drops the admin's furniture (issue 21)."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.projects.fixtures import JAN
from tests.reporting.helpers import file_month

pytestmark = pytest.mark.django_db


def test_a_report_page_links_the_print_stylesheet(
    client, bupyeong_project, bupyeong_officer
):
    report = file_month(bupyeong_project, bupyeong_officer, JAN)
    client.force_login(bupyeong_officer)
    page = client.get(reverse("reporting_report", args=[report.pk])).content.decode()
    assert (
        '<link rel="stylesheet" media="print" href="/static/css/admin-print.css"'
        in page
    )


def test_the_print_stylesheet_hides_the_sidebar_and_wraps_tables():
    path = finders.find("css/admin-print.css")
    assert path, "css/admin-print.css is not among the static files"
    css = Path(path).read_text(encoding="utf-8")
    assert css.lstrip().startswith("/*") and "@media print" in css
    hidden = css.split("display: none !important")[0]
    assert "#wagtail-sidebar" in hidden and ".w-breadcrumbs" in hidden
    assert "overflow-wrap: anywhere" in css and "white-space: normal" in css
