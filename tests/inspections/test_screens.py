"""The site-visit screens: the city plans, records and decides in the admin,
the district answers with evidence; a refused form keeps what was typed and
says what to do; other districts, reviewers and visitors are refused; open
findings show on both homes, the project's page and the evaluation."""

from datetime import date

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections import services
from inspections.models import Finding, FindingAttachment, FindingStatus, SiteVisit

from .conftest import pdf


@pytest.fixture
def city_client(client, city_manager):
    client.force_login(city_manager)
    return client


def test_the_city_plans_a_visit_and_a_refused_plan_keeps_what_was_typed(
    city_client, project, city_manager
):
    url = reverse("inspections_visit_new")
    assert city_client.get(url + f"?project={project.pk}").status_code == 200
    typed = {
        "project": project.pk,
        "planned_on": "2019-07-10",
        "purpose": "상반기 현장점검: 근무일지 확인",
    }
    refused = city_client.post(url, typed)
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "상반기 현장점검: 근무일지 확인" in page
    assert 'data-field-error="inspectors"' in page
    assert not SiteVisit.objects.exists()
    response = city_client.post(url, {**typed, "inspectors": [city_manager.pk]})
    visit = SiteVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspections_visit", args=[visit.pk])
    assert list(visit.inspectors.all()) == [city_manager]


def test_the_city_records_the_checklist_then_a_finding(
    city_client, visit, bupyeong_officer
):
    record = reverse("inspections_visit_record", args=[visit.pk])
    page = city_client.get(record).content.decode()
    assert "참여자 근로계약서 확인" in page and "홍보·현판" in page
    answers = {f"answer_{n}": "ok" for n in range(1, 6)}
    answers["answer_2"] = "not_ok"
    refused = city_client.post(record, {"visited_on": "2019-07-10", **answers})
    assert refused.status_code == 400
    assert 'data-field-error="note_2"' in refused.content.decode()
    answers["note_2"] = "6월 근무일지 일부 미작성"
    assert (
        city_client.post(record, {"visited_on": "2019-07-10", **answers}).status_code
        == 302
    )
    visit.refresh_from_db()
    assert visit.status == "done"
    new_finding = reverse("inspections_finding_new", args=[visit.pk])
    typed = {"text": "근무일지 미작성", "severity": "moderate", "corrective_action": ""}
    refused = city_client.post(new_finding, {**typed, "due_on": "2019-08-09"})
    assert refused.status_code == 400 and "근무일지 미작성" in refused.content.decode()
    city_client.post(
        new_finding, {**typed, "corrective_action": "보완 제출", "due_on": "2019-08-09"}
    )
    finding = Finding.objects.get()
    assert finding.severity == "moderate" and finding.status == FindingStatus.OPEN


def test_the_district_answers_with_evidence_and_a_bad_file_keeps_the_answer(
    client, finding, bupyeong_officer, city_manager
):
    client.force_login(bupyeong_officer)
    url = reverse("inspections_finding", args=[finding.pk])
    assert "data-answer-form" in client.get(url).content.decode()
    bad = SimpleUploadedFile(
        "근무일지.exe", b"MZ\x90\x00binary", "application/x-msdownload"
    )
    refused = client.post(url, {"answer": "누락분 근무일지 보완함", "files": [bad]})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "누락분 근무일지 보완함" in page
    assert 'data-field-error="files"' in page
    assert "PDF, HWP, HWPX, DOCX" in page
    finding.refresh_from_db()
    assert (
        finding.status == FindingStatus.OPEN and not FindingAttachment.objects.exists()
    )
    # A file named .pdf that is not one is refused by its content.
    fake = SimpleUploadedFile("근무일지.pdf", b"just text", "application/pdf")
    assert client.post(url, {"answer": "보완", "files": [fake]}).status_code == 400
    ok = client.post(url, {"answer": "누락분 근무일지 보완함", "files": [pdf()]})
    assert ok.status_code == 302
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ANSWERED
    evidence = finding.attachments.get()
    # Kept on the private storage, never under the public media.
    assert evidence.file.storage is storages["private"]
    assert evidence.file.storage is not storages["default"]
    download = reverse("inspections_evidence", args=[evidence.pk])
    assert client.get(download).status_code == 200
    client.force_login(city_manager)
    assert client.get(download).status_code == 200


def test_the_city_closes_or_returns_and_a_return_needs_a_comment(
    client, finding, bupyeong_officer, city_manager
):
    services.finding_answer(actor=bupyeong_officer, finding=finding, answer="보완함")
    client.force_login(city_manager)
    returned = client.post(
        reverse("inspections_finding_action", args=[finding.pk, "return"]), {"note": ""}
    )
    assert returned.status_code == 400
    assert 'data-field-error="note"' in returned.content.decode()
    client.post(
        reverse("inspections_finding_action", args=[finding.pk, "close"]), {"note": ""}
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED


def test_other_districts_reviewers_and_visitors_are_refused(
    client, finding, seogu_officer, reviewer, bupyeong_officer, bupyeong_approver
):
    services.finding_answer(
        actor=bupyeong_officer, finding=finding, answer="보완함", files=[pdf()]
    )
    evidence = finding.attachments.get()
    urls = [
        reverse("inspections_visit", args=[finding.visit.pk]),
        reverse("inspections_finding", args=[finding.pk]),
        reverse("inspections_evidence", args=[evidence.pk]),
        reverse("inspections_project", args=[finding.visit.project.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
        assert "login" in client.get(url)["Location"]
    client.force_login(seogu_officer)
    for url in urls:
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("inspections_finding_action", args=[finding.pk, "close"])
        ).status_code
        == 404
    )
    client.force_login(reviewer)
    for url in urls:
        assert client.get(url).status_code in (403, 404)
    # The district may read but not decide, nor plan or record.
    client.force_login(bupyeong_approver)
    assert client.get(urls[1]).status_code == 200
    forbidden = client.post(
        reverse("inspections_finding_action", args=[finding.pk, "close"])
    )
    assert forbidden.status_code in (302, 403)
    assert client.get(reverse("inspections_visit_new")).status_code in (302, 403)
    finding.refresh_from_db()
    assert finding.status == FindingStatus.ANSWERED


def test_open_findings_show_on_both_homes(
    client, finding, city_manager, bupyeong_officer, seogu_officer
):
    client.force_login(bupyeong_officer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-home-section="findings"' in page
    assert 'data-home-item="finding-open"' in page
    assert finding.text in page
    services.finding_answer(actor=bupyeong_officer, finding=finding, answer="보완함")
    client.force_login(city_manager)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-home-item="finding-answered"' in page
    client.force_login(seogu_officer)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert finding.text not in page


def test_the_project_page_and_the_evaluation_count_open_findings(
    client, finding, city_manager
):
    project = finding.visit.project
    client.force_login(city_manager)
    page = client.get(reverse("projects:inspect", args=[project.pk])).content.decode()
    assert "data-site-visits-line" in page and "미결 지적 사항 1건" in page
    evaluation = client.get(
        reverse("evaluation_dashboard") + f"?year=2019&month=7&project={project.code}"
    ).content.decode()
    assert 'data-evaluation-findings="1"' in evaluation


def test_the_findings_queue_lists_what_waits(client, finding, city_manager):
    client.force_login(city_manager)
    page = client.get(reverse("inspections_findings") + "?queue=overdue").content
    # Due 2019-08-09, long past: overdue today.
    assert f'data-finding="{finding.pk}"'.encode() in page
    page = client.get(reverse("inspections_findings") + "?queue=answered").content
    assert f'data-finding="{finding.pk}"'.encode() not in page
    assert date.today() > finding.due_on


def test_the_queue_tabs_say_open_and_closed_in_the_findings_own_words(
    client, finding, city_manager
):
    """Not a call's words for the same English (접수 중, 마감)."""
    client.force_login(city_manager)
    page = client.get(reverse("inspections_findings")).content.decode()

    assert "미결" in page and "종결" in page
    assert "접수 중" not in page
