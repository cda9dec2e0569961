"""Change requests as a work queue (issue 21): listed with filters (district,
status, month), sorted, exported; each district sees only its own; decided on
the project's page, never added, edited or deleted through the listing."""

import csv
import io
from datetime import date

from django.urls import reverse

from projects.models import ChangeRequest
from projects.services import change_request_propose, plan_data

from .fixtures import bupyeong_project, seogu_project  # noqa: F401

JUL, SEP = date(2019, 7, 1), date(2019, 9, 1)
INDEX = reverse("change_requests:index")


def _streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def _propose(project, officer, month, reason):
    return change_request_propose(
        project=project,
        actor=officer,
        proposed=plan_data(project.current_plan),
        reason=reason,
        effective_from=month,
    )


def test_the_city_filters_sorts_and_exports_change_requests(
    client,
    bupyeong_project,  # noqa: F811
    seogu_project,  # noqa: F811
    bupyeong_officer,
    seogu_officer,
    city_manager,
):
    _propose(bupyeong_project, bupyeong_officer, JUL, "참여 수요 증가로 목표 상향")
    _propose(seogu_project, seogu_officer, SEP, "=운행 노선 변경")
    client.force_login(city_manager)
    page = client.get(INDEX).content.decode()
    assert bupyeong_project.code in page and seogu_project.code in page

    only_seogu = client.get(INDEX, {"district": seogu_project.district.pk})
    body = only_seogu.content.decode()
    assert seogu_project.code in body and bupyeong_project.code not in body

    july = client.get(INDEX, {"effective_from": JUL.isoformat()}).content.decode()
    assert bupyeong_project.code in july and seogu_project.code not in july

    ordered = client.get(INDEX, {"ordering": "-effective_from"}).content.decode()
    assert ordered.index(seogu_project.code) < ordered.index(bupyeong_project.code)

    export = _streamed(client.get(INDEX, {"export": "csv"}))
    rows = list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))
    assert len(rows) == 3
    reasons = {row[-1] for row in rows[1:]}
    assert "'=운행 노선 변경" in reasons  # typed text never becomes a formula
    assert not {row[2] for row in rows[1:]} & {"proposed"}  # a status word


def test_a_district_lists_only_its_own_change_requests(
    client,
    bupyeong_project,  # noqa: F811
    seogu_project,  # noqa: F811
    bupyeong_officer,
    seogu_officer,
):
    _propose(bupyeong_project, bupyeong_officer, JUL, "목표 상향")
    client.force_login(seogu_officer)
    page = client.get(INDEX).content.decode()
    assert bupyeong_project.code not in page
    export = _streamed(client.get(INDEX, {"export": "csv"}))
    assert bupyeong_project.code not in export


def test_the_listing_is_no_second_door(
    client,
    bupyeong_project,
    bupyeong_officer,
    city_manager,  # noqa: F811
):
    change = _propose(bupyeong_project, bupyeong_officer, JUL, "목표 상향")
    client.force_login(bupyeong_officer)
    response = client.post(reverse("change_requests:add"), {"reason": "x"})
    assert response.status_code in (302, 403)
    assert ChangeRequest.objects.count() == 1
    client.force_login(city_manager)
    response = client.post(reverse("change_requests:edit", args=[change.pk]), {})
    assert response["Location"] == reverse(
        "projects:inspect", args=[bupyeong_project.pk]
    )
    client.post(reverse("change_requests:delete", args=[change.pk]))
    assert ChangeRequest.objects.filter(pk=change.pk).exists()
