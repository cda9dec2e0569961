"""Visit days and the due days of open findings reach the deadline calendar
of those who may see them; the Incheon demo holds its one visit with a
finding answered by the district and closed by the city."""

from datetime import date

import pytest

from calendars.selectors import calendar_events
from inspections import services
from inspections.models import FindingStatus, SiteVisit, VisitStatus


def test_the_calendar_holds_visits_and_open_findings_of_ones_own_district(
    finding, city_manager, bupyeong_officer, seogu_officer
):
    uids = {event.uid: event for event in calendar_events(user=bupyeong_officer)}
    visit_uid = f"site-visit-{finding.visit.pk}@sangsaeng"
    due_uid = f"finding-due-{finding.pk}@sangsaeng"
    assert uids[visit_uid].start == date(2019, 7, 10)
    assert uids[due_uid].start == date(2019, 8, 9)
    assert due_uid in {event.uid for event in calendar_events(user=city_manager)}
    assert not {visit_uid, due_uid} & {
        e.uid for e in calendar_events(user=seogu_officer)
    }
    services.finding_answer(actor=bupyeong_officer, finding=finding, answer="보완함")
    services.finding_close(actor=city_manager, finding=finding)
    assert due_uid not in {e.uid for e in calendar_events(user=bupyeong_officer)}


@pytest.mark.django_db
@pytest.mark.timeout(1200)  # the whole demo, on a shared machine
def test_the_demo_has_one_visit_with_a_closed_moderate_finding():
    from django.core.management import call_command

    from inspections.demo import seed_inspections

    call_command("seed_demo", "--quiet-accounts")
    visit = SiteVisit.objects.get()
    assert visit.status == VisitStatus.DONE
    assert visit.project.district.code == "BP" and visit.visited_on == date(2019, 7, 10)
    assert [a.answer for a in visit.answers.all()] == ["ok", "not_ok", "ok", "ok", "ok"]
    finding = visit.findings.get()
    assert finding.severity == "moderate" and finding.status == FindingStatus.CLOSED
    assert finding.answer and finding.closed_on == date(2019, 8, 6)
    assert [t.action for t in finding.transitions.all()] == ["answer", "close"]
    # Seeded silently (history tells nobody), and a second run changes nothing.
    from notifications.models import Notification

    assert not Notification.objects.filter(kind__startswith="finding_").exists()
    assert seed_inspections() == visit and SiteVisit.objects.count() == 1
