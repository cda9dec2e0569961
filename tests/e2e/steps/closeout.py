"""The end of a project in the browser: the district officer writes and
submits the final report, the city manager accepts it and closes the
project. Reusable by a longer journey (agreement to close): both people are
signed in already, ``project`` has ended and has no final report yet."""

from django.urls import reverse

from ..browser import submit

ACHIEVEMENTS = "경력단절 중년 여성 27명을 육아코칭활동가로 양성하고 961가구를 방문했다."
PROBLEMS = "하반기 모집이 늦어 방문이 10월 이후로 밀렸다."
LESSONS = "모집을 연초에 시작하고 협력 기관과 분기마다 실적을 점검한다."


def closeout_steps(journey, city_page, district_page, project) -> None:
    url = reverse("closeout_final_report", args=[project.pk])

    # --- the district: the report comes prefilled with the figures --------------
    district_page.goto(url)
    district_page.wait_for_load_state()
    assert district_page.locator("[data-outcome-jobs]").is_visible()
    journey.shot(district_page, "final-report-prefilled")
    district_page.locator("textarea[name=achievements]").fill(ACHIEVEMENTS)
    district_page.locator("textarea[name=problems]").fill(PROBLEMS)
    district_page.locator("textarea[name=lessons]").fill(LESSONS)
    submit(district_page, "[data-submit-final-report]")
    status = district_page.locator("[data-final-report-status]")
    assert status.get_attribute("data-final-report-status") == "submitted"
    journey.shot(district_page, "final-report-submitted")

    # --- the city: accept, then close -----------------------------------------
    city_page.goto(url)
    city_page.wait_for_load_state()
    assert ACHIEVEMENTS in city_page.locator("[data-achievements]").inner_text()
    journey.shot(city_page, "final-report-to-review")
    submit(city_page, "[data-accept-final-report]")
    status = city_page.locator("[data-final-report-status]")
    assert status.get_attribute("data-final-report-status") == "accepted"
    submit(city_page, "[data-close-project]")
    project_status = city_page.locator("[data-project-status]")
    assert project_status.get_attribute("data-project-status") == "closed", (
        city_page.inner_text("body")[:2000]
    )
    assert city_page.locator("[data-closures] tbody tr").count() == 1
    journey.shot(city_page, "project-closed")
