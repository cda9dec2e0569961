"""A district officer goes from the public call page to a submitted proposal; the
city lists, filters and exports what was sent."""

import io
import re

import openpyxl
from django.core import mail
from django.urls import reverse

from competitions.models import CallTargetGroup, Proposal, ProposalStatus
from tests.indicators import catalogue_indicator


def _formset(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        data[f"{prefix}-{index}-id"] = ""
        data[f"{prefix}-{index}-DELETE"] = ""
    return data


def proposal_post_data(
    call, *, city=60_000_000, district=60_000_000, lines=None, jobs=27
):
    women = CallTargetGroup.objects.get(page=call, code="women")
    lines = (
        lines
        if lines is not None
        else [("인건비", city + district - 20_000_000), ("운영비", 20_000_000)]
    )
    data = {
        "title": "찾아가는 육아코칭활동가 양성",
        "summary": "경력단절 여성을 육아코칭활동가로 양성합니다.",
        "local_need": "영아 가정의 돌봄 공백",
        "delivery_partners": "부평구 육아종합지원센터",
        "period_start": "2027-05",
        "period_end": "2027-12",
        "city_share": str(city),
        "district_share": str(district),
    }
    data.update(
        _formset(
            "target_groups",
            [{"target_group": str(women.pk), "planned_jobs": str(jobs)}],
        )
    )
    data.update(
        _formset(
            "outputs",
            [{"indicator": str(catalogue_indicator("households").pk), "target": "900"}],
        )
    )
    data.update(
        _formset("budget_lines", [{"category": c, "amount": str(a)} for c, a in lines])
    )
    data.update(_formset("attachments", []))
    return data


def test_officer_goes_from_the_public_call_page_to_a_submitted_proposal(
    client, open_call, bupyeong_officer, django_capture_on_commit_callbacks
):
    client.force_login(bupyeong_officer)
    page = client.get(open_call.url).content.decode()
    start_url = (
        re.search(r'href="([^"]+)" data-start-proposal', page)
        .group(1)
        .replace("&amp;", "&")
    )
    assert start_url == f"{reverse('proposals:add')}?call={open_call.pk}"

    form_page = client.get(start_url)
    assert form_page.status_code == 200
    assert "경력단절여성" in form_page.content.decode()

    data = proposal_post_data(open_call)
    data["action-submit"] = "submit"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("proposals:inspect", args=[proposal.pk])
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.receipt_number == "2027-BP-001"
    assert proposal.district.code == "BP"
    assert proposal.period_start.isoformat() == "2027-05-01"
    assert proposal.target_groups.get().planned_jobs == 27
    assert len(mail.outbox) == 1

    inspect = client.get(response["Location"]).content.decode()
    assert "2027-BP-001" in inspect
    assert "data-proposal-history" in inspect


def test_saving_a_draft_in_the_admin_keeps_it_a_draft(
    client, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call, lines=[])
    data["action-save"] = "save"
    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.receipt_number is None


def test_admin_submission_errors_are_shown_and_nothing_is_saved(
    client, open_call, bupyeong_officer
):
    client.force_login(bupyeong_officer)
    data = proposal_post_data(
        open_call,
        city=200_000_000,
        district=200_000_000,
        lines=[("인건비", 100_000_000)],
    )
    data["action-submit"] = "submit"
    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "사업당 한도" in body  # in the reader's language, Korean by default…
    assert "above the cap per project" not in body  # …and only in it
    assert "세부 항목의 합계 100,000,000원" in body
    assert not Proposal.objects.exists()


def test_submitted_proposal_after_the_deadline_opens_read_only(
    client, seogu_submitted, seogu_officer
):
    client.force_login(seogu_officer)
    response = client.get(reverse("proposals:edit", args=[seogu_submitted.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "proposals:inspect", args=[seogu_submitted.pk]
    )


def test_city_listing_filters_by_district_and_status(
    client, call, city_manager, seogu_submitted, bupyeong_officer
):
    from competitions import services
    from tests.competitions.conftest import BEFORE_DEADLINE, make_draft

    bupyeong = make_draft(call, bupyeong_officer, title="부평 제안")
    services.proposal_submit(
        proposal=bupyeong, actor=bupyeong_officer, now=BEFORE_DEADLINE, notify=False
    )
    make_draft(call, bupyeong_officer, title="부평 초안")
    client.force_login(city_manager)
    index = reverse("proposals:index")

    everything = client.get(index, {"call": call.pk}).content.decode()
    assert "검단 무빙콜" in everything and "부평 제안" in everything
    assert "부평 초안" not in everything

    seogu_only = client.get(
        index, {"district": seogu_submitted.district_id}
    ).content.decode()
    assert "검단 무빙콜" in seogu_only and "부평 제안" not in seogu_only

    withdrawn = client.get(index, {"status": "withdrawn"}).content.decode()
    assert "검단 무빙콜" not in withdrawn and "부평 제안" not in withdrawn


def test_city_exports_the_proposals_of_a_call_to_excel(
    client, call, city_manager, seogu_submitted
):
    client.force_login(city_manager)
    response = client.get(
        reverse("proposals:index"), {"call": call.pk, "export": "xlsx"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["접수번호"] == "2018-SG-001"
    assert row["사업명"] == "검단 무빙콜"
    assert row["시비(원)"] == 50_000_000
    assert row["대상 계층별 계획 일자리"] == "경력단절여성 27"
    assert row["구·군"] == "서구"


def test_officer_attaches_a_document_in_the_admin_form(
    client, open_call, bupyeong_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data.update(_formset("attachments", [{"title": "사업계획서"}]))
    data["attachments-0-file"] = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n")
    data["action-save"] = "save"
    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    assert response.status_code == 302
    attachment = Proposal.objects.get().attachments.get()
    assert attachment.file.read() == b"%PDF-1.4\n%%EOF\n"
    edit_page = client.get(response["Location"]).content.decode()
    assert "plan.pdf" in edit_page
    assert attachment.file.name not in edit_page.replace("plan.pdf", "")


def test_a_disguised_attachment_is_refused_in_the_admin_form(
    client, open_call, bupyeong_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(bupyeong_officer)
    data = proposal_post_data(open_call)
    data.update(_formset("attachments", [{"title": "가짜"}]))
    data["attachments-0-file"] = SimpleUploadedFile("plan.pdf", b"MZ not a pdf")
    data["action-save"] = "save"
    response = client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    assert response.status_code == 200
    assert "PDF 문서가 아닙니다" in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_order_an_officer_gives_the_line_items_is_kept_across_saves(
    client, open_call, bupyeong_officer
):
    """Line items come back in the order they were entered, and in the new order
    after the officer drags one above the other; an unchanged save keeps it."""
    client.force_login(bupyeong_officer)
    data = proposal_post_data(
        open_call, lines=[("인건비", 100_000_000), ("운영비", 20_000_000)]
    )
    data["action-save"] = "save"
    client.post(f"{reverse('proposals:add')}?call={open_call.pk}", data)
    proposal = Proposal.objects.get()
    lines = list(proposal.budget_lines.all())
    assert [line.category for line in lines] == ["인건비", "운영비"]

    edit = reverse("proposals:edit", args=[proposal.pk])
    data.update(
        {
            "budget_lines-INITIAL_FORMS": "2",
            # The saved output row is posted as itself, as the form does.
            "outputs-INITIAL_FORMS": "1",
            "outputs-0-id": str(proposal.outputs.get().pk),
            "budget_lines-0-id": str(lines[0].pk),
            "budget_lines-1-id": str(lines[1].pk),
            "budget_lines-0-ORDER": "2",
            "budget_lines-1-ORDER": "1",
        }
    )
    assert client.post(edit, data).status_code == 302
    assert [line.category for line in proposal.budget_lines.all()] == [
        "운영비",
        "인건비",
    ]

    data.update(
        {
            "budget_lines-0-ORDER": "1",
            "budget_lines-1-ORDER": "2",
            "budget_lines-0-id": str(lines[1].pk),
            "budget_lines-1-id": str(lines[0].pk),
            "budget_lines-0-category": "운영비",
            "budget_lines-0-amount": "20000000",
            "budget_lines-1-category": "인건비",
            "budget_lines-1-amount": "100000000",
        }
    )
    assert client.post(edit, data).status_code == 302
    assert [line.category for line in proposal.budget_lines.all()] == [
        "운영비",
        "인건비",
    ]
    assert proposal.budget_lines.count() == 2
