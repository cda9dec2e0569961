"""The apps' own close conditions, as registered at start-up: a project with
its final report accepted still cannot be closed while its settlement (정산)
is not done or a finding of a site visit is open, and the final report
carries both sections."""

import pytest
from django.utils import translation

from closeout.conditions import unmet_close_conditions
from closeout.sections import final_report_sections

pytestmark = pytest.mark.with_app_registrations


def test_closing_waits_for_the_settlement_by_default(project):
    with translation.override("en"):
        reasons = unmet_close_conditions(project)

    assert any("settlement" in reason for reason in reasons), reasons


def test_the_final_report_carries_the_money_and_the_findings():
    keys = [section.key for section in final_report_sections()]

    assert "settlement" in keys and "findings" in keys
