"""Browser steps of a site visit (현장점검), for any journey that has a city
manager's and a district officer's page signed in: the city plans a visit,
records its checklist and one finding, the district answers it with
evidence, the city closes it. Screenshots are taken at each step."""

from datetime import timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from inspections.models import Finding, FindingStatus, SiteVisit, VisitStatus
from projects.months import seoul_today

from ..browser import submit

PURPOSE = "하반기 현장점검: 참여자 근무 실태 확인"
FINDING = "출근부 서명 일부 누락"
ANSWER = "누락된 서명을 보완하고 주 1회 확인 절차를 마련함"
EVIDENCE = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def visit_steps(journey, city_page, district_page, project, *, folder=None) -> Finding:
    """Run the whole cycle in the browser; return the closed finding."""
    day = seoul_today(timezone.now()) - timedelta(days=1)
    visits_before = set(
        SiteVisit.objects.filter(project=project).values_list("pk", flat=True)
    )

    # --- the city plans the visit ------------------------------------------------
    city_page.goto(reverse("inspections_visit_new") + f"?project={project.pk}")
    city_page.locator("#id_planned_on").fill(day.isoformat())
    city_page.locator("input[name=inspectors]").first.check()
    city_page.locator("#id_purpose").fill(PURPOSE)
    journey.shot(city_page, "visit-plan")
    submit(city_page, "[data-visit-plan-form] button[type=submit]")
    visit = SiteVisit.objects.exclude(pk__in=visits_before).get(project=project)
    assert visit.status == VisitStatus.PLANNED

    # --- the city records the checklist -----------------------------------------
    city_page.locator("[data-record-link]").click()
    city_page.wait_for_load_state()
    city_page.locator("#id_visited_on").fill(day.isoformat())
    for row in city_page.locator("[data-checklist-line]").all():
        order = row.get_attribute("data-checklist-line")
        answer = "not_ok" if order == "2" else "ok"
        city_page.locator(f"input[name=answer_{order}][value={answer}]").check()
    city_page.locator("#id_note_2").fill(FINDING)
    journey.shot(city_page, "visit-checklist")
    submit(city_page, "[data-record-form] button[type=submit]")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE

    # --- … and one finding -------------------------------------------------------
    form = city_page.locator("[data-finding-form]")
    form.locator("#id_text").fill(FINDING)
    form.locator("#id_severity").select_option("moderate")
    form.locator("#id_corrective_action").fill("서명 보완 후 증빙 제출")
    form.locator("#id_due_on").fill((day + timedelta(days=30)).isoformat())
    submit(city_page, "[data-finding-form] button[type=submit]")
    finding = visit.findings.get()
    journey.shot(city_page, "visit-finding-recorded")

    # --- the district answers with evidence --------------------------------------
    finding_url = reverse("inspections_finding", args=[finding.pk])
    district_page.goto(finding_url)
    district_page.locator("#id_answer").fill(ANSWER)
    evidence = Path(folder or journey.folder) / "evidence.pdf"
    evidence.write_bytes(EVIDENCE)
    district_page.locator("#id_files").set_input_files(str(evidence))
    journey.shot(district_page, "finding-answer")
    submit(district_page, "[data-answer-form] button[type=submit]")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ANSWERED
    assert finding.attachments.count() == 1

    # --- the city closes it ------------------------------------------------------
    city_page.goto(finding_url)
    city_page.locator("[data-decision-form] textarea").fill("보완 확인")
    submit(city_page, "[data-close]")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    journey.shot(city_page, "finding-closed")
    return finding
