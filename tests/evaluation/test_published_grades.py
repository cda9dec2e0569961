"""Published grades are read-only at every door; the one way to change them is
a re-authenticated, audited reopening (issue 18)."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from competitions.models import CallIndexPage
from reporting.evaluation import services
from reporting.evaluation.models import EvaluationScheme, GradeTier, QualitativeScore
from tests.competitions.conftest import make_call
from tests.factories import UserFactory
from tests.helpers import reauthenticate
from tests.projects.fixtures import make_project

# The admin speaks Korean by default; the services answer in the active language.
PUBLISHED_KO = "이 평가의 등급은 공개되어 더 이상 바꿀 수 없습니다."
PUBLISHED_EN = (
    "The grades of this evaluation are published and can no longer be changed."
)
RANGE_KO = "정성 평가 점수는 0에서 100 사이의 숫자"
RANGE_EN = "A qualitative score is a number from 0 to 100"


@pytest.fixture
def scheme(home_page, orgs, city_manager, reviewer):
    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    call = make_call(index, slug="call-2018")
    project = make_project(orgs["BP"], call=call)
    scheme = EvaluationScheme(call=call, year=2019, as_of_month=9)
    scheme.tiers.add(
        GradeTier(
            name_ko="대상", name_en="Grand prize", count=1, bonus_points=Decimal(3)
        )
    )
    scheme.save()
    QualitativeScore.objects.create(
        scheme=scheme, project=project, reviewer=reviewer, score=Decimal(70)
    )
    return scheme


@pytest.fixture
def published(scheme, city_manager):
    services.evaluation_compute(scheme=scheme, actor=city_manager)
    return services.evaluation_publish(scheme=scheme, actor=city_manager)


@pytest.fixture
def superuser(orgs):
    return UserFactory(
        username="t-root",
        organisation=orgs["ICN"],
        role=Role.CITY_MANAGER,
        is_superuser=True,
    )


def _state(scheme):
    scheme = EvaluationScheme.objects.get(pk=scheme.pk)
    return (
        scheme.published_at,
        scheme.weights,
        list(scheme.tiers.values_list("name_ko", "count", "bonus_points")),
        list(
            QualitativeScore.objects.filter(scheme=scheme).values_list(
                "project_id", "reviewer_id", "score"
            )
        ),
    )


def _scheme_form(scheme, **changes) -> dict:
    tier = scheme.tiers.get()
    data = {
        "call": scheme.call_id,
        "year": 2019,
        "as_of_month": 9,
        "weight_jobs": 20,
        "weight_outputs": 40,
        "weight_execution": 20,
        "weight_timeliness": 10,
        "weight_qualitative": 10,
        "trim_qualitative": "on",
        "next_call": "",
        "tiers-TOTAL_FORMS": 1,
        "tiers-INITIAL_FORMS": 1,
        "tiers-MIN_NUM_FORMS": 0,
        "tiers-MAX_NUM_FORMS": 1000,
        "tiers-0-id": tier.pk,
        "tiers-0-ORDER": 1,
        "tiers-0-DELETE": "",
        "tiers-0-name_ko": "최우수",
        "tiers-0-name_en": "Top",
        "tiers-0-count": 5,
        "tiers-0-threshold": "",
        "tiers-0-bonus_points": "9",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("who", ["city_manager", "superuser"])
def test_the_edit_view_of_a_published_scheme_shows_no_form_and_a_forged_post_changes_nothing(
    client, published, who, request
):
    client.force_login(request.getfixturevalue(who))
    before = _state(published)
    url = reverse("evaluation_schemes:edit", args=[published.pk])
    detail = reverse("evaluation_detail", args=[published.pk])
    page = client.get(url)
    assert page.status_code == 302 and page.url == detail
    forged = client.post(url, _scheme_form(published), follow=True)
    assert PUBLISHED_KO in forged.content.decode()
    assert _state(published) == before


@pytest.mark.parametrize("who", ["city_manager", "superuser"])
def test_a_published_scheme_cannot_be_deleted(client, published, who, request):
    client.force_login(request.getfixturevalue(who))
    url = reverse("evaluation_schemes:delete", args=[published.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert EvaluationScheme.objects.filter(
        pk=published.pk, published_at__isnull=False
    ).exists()


def test_the_create_view_cannot_replace_or_duplicate_a_published_scheme(
    client, published, city_manager
):
    client.force_login(city_manager)
    before = _state(published)
    data = _scheme_form(published, **{"tiers-INITIAL_FORMS": 0, "tiers-0-id": ""})
    response = client.post(reverse("evaluation_schemes:add"), data)
    assert response.status_code == 200  # the form again, with the error
    assert EvaluationScheme.objects.count() == 1
    assert _state(published) == before


@pytest.mark.parametrize("who", ["city_manager", "superuser"])
def test_a_score_of_published_grades_cannot_be_edited_or_deleted_through_its_views(
    client, published, who, request
):
    # The generic views write no score at all (the reviewers enter their own:
    # tests/evaluation/test_qualitative_by_reviewers.py), published or not.
    client.force_login(request.getfixturevalue(who))
    before = _state(published)
    score = QualitativeScore.objects.get(scheme=published)
    edit = reverse("qualitative_scores:edit", args=[score.pk])
    delete = reverse("qualitative_scores:delete", args=[score.pk])
    assert client.get(edit).status_code in (302, 403)
    response = client.post(
        edit,
        {
            "scheme": published.pk,
            "project": score.project_id,
            "reviewer": score.reviewer_id,
            "score": "97",
        },
    )
    assert response.status_code in (302, 403)
    assert client.get(delete).status_code in (302, 403)
    client.post(delete)
    assert _state(published) == before


def test_the_create_view_refuses_a_new_score_for_published_grades(
    client, published, city_manager, orgs
):
    client.force_login(city_manager)
    other_reviewer = UserFactory(
        username="t-reviewer2", organisation=orgs["ICN"], role=Role.REVIEWER
    )
    score = QualitativeScore.objects.get(scheme=published)
    response = client.post(
        reverse("qualitative_scores:add"),
        {
            "scheme": published.pk,
            "project": score.project_id,
            "reviewer": other_reviewer.pk,
            "score": "100",
        },
    )
    assert response.status_code in (302, 403)
    assert QualitativeScore.objects.filter(scheme=published).count() == 1


def test_the_evaluation_page_refuses_scores_and_a_new_run_once_published(
    client, published, city_manager
):
    client.force_login(city_manager)
    before = _state(published)
    score = QualitativeScore.objects.get(scheme=published)
    client.post(
        reverse("evaluation_action", args=[published.pk, "score"]),
        {"project": score.project_id, "reviewer": score.reviewer_id, "score": "99"},
    )
    client.post(reverse("evaluation_action", args=[published.pk, "evaluate"]))
    assert _state(published) == before


@translation.override("en")
def test_models_refuse_changes_to_published_grades_from_any_other_door(published):
    tier = published.tiers.get()
    score = QualitativeScore.objects.get(scheme=published)
    tier.bonus_points = Decimal(9)
    score.score = Decimal(99)
    published.weight_jobs, published.weight_outputs = 20, 40
    for attempt in (
        tier.save,
        score.save,
        score.delete,
        tier.delete,
        published.save,
        published.delete,
        score.full_clean,
        tier.full_clean,
        published.full_clean,
    ):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert PUBLISHED_EN in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        GradeTier(scheme=published, name_ko="장려", count=3).save()


@pytest.mark.parametrize("value", [Decimal("100.01"), Decimal("-0.01"), Decimal("150")])
@translation.override("ko")
def test_a_score_outside_0_to_100_is_refused_by_the_model_and_the_database(
    scheme, value
):
    score = QualitativeScore.objects.get(scheme=scheme)
    score.score = value
    with pytest.raises(ValidationError) as refused:
        score.full_clean()
    assert RANGE_KO in refused.value.message_dict["score"][0]
    with pytest.raises(ValidationError):
        score.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        QualitativeScore.objects.filter(pk=score.pk).update(score=value)
    assert QualitativeScore.objects.get(pk=score.pk).score == Decimal(70)


def test_an_unpublished_scheme_is_still_edited_through_the_admin(
    client, scheme, city_manager
):
    client.force_login(city_manager)
    url = reverse("evaluation_schemes:edit", args=[scheme.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _scheme_form(scheme))
    assert response.status_code == 302, response.content.decode()[-3000:]
    scheme.refresh_from_db()
    assert scheme.weight_outputs == 40
    assert list(scheme.tiers.values_list("name_ko", flat=True)) == ["최우수"]


def test_reopening_without_reauthentication_changes_nothing_and_keeps_the_reason(
    client, published, city_manager
):
    client.force_login(city_manager)
    before = _state(published)
    response = client.post(
        reverse("evaluation_action", args=[published.pk, "reopen"]),
        {"reason": "오기 정정"},
    )
    assert response.status_code == 302 and response.url.startswith(
        reverse("accounts_reauth")
    )
    assert _state(published) == before
    # Back on the page after re-authenticating, the reason typed is still there.
    back = client.get(
        reverse("evaluation_detail", args=[published.pk]), {"reason": "오기 정정"}
    )
    assert ">오기 정정</textarea>" in back.content.decode()


def test_reopening_with_reauthentication_unpublishes_and_is_audited_with_who_and_why(
    client, published, city_manager
):
    client.force_login(city_manager)
    reauthenticate(client)
    response = client.post(
        reverse("evaluation_action", args=[published.pk, "reopen"]),
        {"reason": "정성 점수 입력 오류 정정"},
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.published_at is None
    entry = (
        LogEntry.objects.get_for_object(published)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == city_manager
    assert "published_at" in entry.changes_dict
    assert entry.additional_data == {
        "kind": "grades_reopened",
        "reason": "정성 점수 입력 오류 정정",
    }
    # Now it can be corrected, and published again.
    assert (
        client.get(reverse("evaluation_schemes:edit", args=[published.pk])).status_code
        == 200
    )


def test_reopening_needs_a_reason_and_a_city_manager(
    published, city_manager, bupyeong_officer
):
    with pytest.raises(ValidationError):
        services.evaluation_reopen(scheme=published, actor=city_manager, reason="  ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.evaluation_reopen(scheme=published, actor=bupyeong_officer, reason="x")
    published.refresh_from_db()
    assert published.published_at is not None
