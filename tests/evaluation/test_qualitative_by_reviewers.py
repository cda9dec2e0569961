"""The year-end evaluation's qualitative score is given by the reviewers
themselves: the city assigns them, each scores the projects of the districts
they are not tied to (blind where the scheme says so), the trimmed mean
combines their scores, and the city follows the progress and reminds but
never enters a score for a reviewer, on its screen or the generic admin's."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from competitions.models import CallIndexPage, ReviewerPoolMember, ReviewerTie
from reporting.evaluation import qualitative, services
from reporting.evaluation.models import (
    EvaluationReviewer,
    EvaluationScheme,
    GradeTier,
    ProjectEvaluation,
    QualitativeScore,
)
from tests.competitions.conftest import make_call
from tests.factories import UserFactory
from tests.projects.fixtures import make_project


@pytest.fixture
def scheme(home_page, orgs):
    index = home_page.add_child(instance=CallIndexPage(title="공모", slug="calls"))
    call = make_call(index, slug="call-2018")
    make_project(orgs["BP"], call=call, title="육아코칭", code="2019-BP-01")
    make_project(orgs["SG"], call=call, title="산업단지 무빙콜", code="2019-SG-01")
    make_project(orgs["DG"], call=call, title="작은도서관", code="2019-DG-01")
    scheme = EvaluationScheme(call=call, year=2019, as_of_month=9)
    scheme.tiers.add(GradeTier(name_ko="대상", name_en="Grand prize", count=1))
    scheme.save()
    return scheme


def _project(scheme, district_code):
    return scheme.call.projects.get(district__code=district_code)


@pytest.fixture
def reviewers(orgs):
    """Five outside reviewers; the first works at 부평구 (Bupyeong-gu), the
    second declared a tie with 서구 (Seo-gu)."""
    people = [
        UserFactory(
            username=f"t-eval-{n}",
            organisation=orgs["BP" if n == 1 else "EXP"],
            role=Role.REVIEWER,
        )
        for n in range(1, 6)
    ]
    from django.utils import timezone

    ReviewerTie.objects.create(
        reviewer=people[1], organisation=orgs["SG"], declared_at=timezone.now()
    )
    return people


@pytest.fixture
def assigned(scheme, reviewers, city_manager):
    for person in reviewers:
        qualitative.evaluation_reviewer_assign(
            scheme=scheme, reviewer=person, actor=city_manager
        )
    return reviewers


def _submit(scheme, person, district_code, score, comment="현장 점검 결과 양호"):
    return qualitative.qualitative_score_submit(
        scheme=scheme,
        project=_project(scheme, district_code),
        score=score,
        comment=comment,
        actor=person,
    )


# --- who scores what ----------------------------------------------------------------


def test_a_reviewer_scores_only_the_projects_of_districts_they_are_not_tied_to(
    scheme, assigned
):
    own_district, declared_tie, free = assigned[0], assigned[1], assigned[2]

    def codes(person):
        return sorted(
            p.district.code
            for p in qualitative.projects_to_score(scheme=scheme, reviewer=person)
        )

    assert codes(own_district) == ["DG", "SG"]  # works at Bupyeong-gu
    assert codes(declared_tie) == ["BP", "DG"]  # declared a tie with Seo-gu
    assert codes(free) == ["BP", "DG", "SG"]


def test_a_tied_project_is_refused_by_the_service_and_a_404_by_id_guessing(
    client, scheme, assigned
):
    own_district = assigned[0]
    with pytest.raises(PermissionDenied):
        _submit(scheme, own_district, "BP", "90")
    client.force_login(own_district)
    response = client.post(
        reverse(
            "evaluation_qualitative_score",
            args=[scheme.pk, _project(scheme, "BP").pk],
        ),
        {"score": "90", "comment": "좋음"},
    )
    assert response.status_code == 404
    assert not QualitativeScore.objects.exists()


def test_a_reviewer_not_assigned_is_refused_everywhere(client, scheme, reviewer):
    with pytest.raises(PermissionDenied):
        _submit(scheme, reviewer, "DG", "80")
    client.force_login(reviewer)
    assert (
        client.get(
            reverse("evaluation_qualitative_scheme", args=[scheme.pk])
        ).status_code
        == 404
    )
    response = client.post(
        reverse(
            "evaluation_qualitative_score",
            args=[scheme.pk, _project(scheme, "DG").pk],
        ),
        {"score": "80", "comment": "좋음"},
    )
    assert response.status_code == 404
    assert not QualitativeScore.objects.exists()


def test_a_project_of_another_call_is_a_404(client, scheme, assigned, orgs):
    other = make_project(orgs["DG"], title="다른 사업", code="2019-DG-09")
    client.force_login(assigned[2])
    response = client.post(
        reverse("evaluation_qualitative_score", args=[scheme.pk, other.pk]),
        {"score": "80", "comment": "좋음"},
    )
    assert response.status_code == 404
    assert not QualitativeScore.objects.exists()


def test_the_reviewers_page_is_blind_and_shows_only_their_own_scores(
    client, scheme, assigned
):
    free, other = assigned[2], assigned[3]
    _submit(scheme, other, "DG", "55.5", comment="다른 심사위원의 의견")
    _submit(scheme, free, "DG", "81.25", comment="나의 의견")
    client.force_login(free)
    page = client.get(
        reverse("evaluation_qualitative_scheme", args=[scheme.pk])
    ).content.decode()
    assert "작은도서관" in page and "81.25" in page and "나의 의견" in page
    assert "55.5" not in page and "다른 심사위원의 의견" not in page
    # Blind: neither the projects' codes nor their districts are shown.
    for hidden in ("2019-BP-01", "2019-SG-01", "2019-DG-01", "부평구", "서구", "동구"):
        assert hidden not in page
    # Not blind: the code and the district are shown.
    EvaluationScheme.objects.filter(pk=scheme.pk).update(qualitative_blind=False)
    page = client.get(
        reverse("evaluation_qualitative_scheme", args=[scheme.pk])
    ).content.decode()
    assert "2019-DG-01" in page and "동구" in page


def test_the_reviewer_scores_on_their_page_and_a_refusal_keeps_what_they_typed(
    client, scheme, assigned
):
    free = assigned[2]
    client.force_login(free)
    url = reverse(
        "evaluation_qualitative_score", args=[scheme.pk, _project(scheme, "DG").pk]
    )
    response = client.post(url, {"score": "101", "comment": "지역 수요에 잘 맞음"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "지역 수요에 잘 맞음" in page and 'value="101"' in page
    assert "data-errors" in page
    assert not QualitativeScore.objects.exists()
    response = client.post(url, {"score": "88.5", "comment": "지역 수요에 잘 맞음"})
    assert response.status_code == 302
    row = QualitativeScore.objects.get()
    assert (row.reviewer, row.score, row.comment) == (
        free,
        Decimal("88.5"),
        "지역 수요에 잘 맞음",
    )


@pytest.mark.parametrize(
    "typed", ["100.01", "-1", "1000", "abc", "NaN", "Infinity", "", "50.123"]
)
def test_a_score_outside_0_to_100_is_refused_with_its_code(scheme, assigned, typed):
    with pytest.raises(ValidationError) as refused:
        _submit(scheme, assigned[2], "DG", typed)
    assert refused.value.code == "score_range"
    assert not QualitativeScore.objects.exists()


def test_a_score_needs_a_comment(scheme, assigned):
    with pytest.raises(ValidationError) as refused:
        _submit(scheme, assigned[2], "DG", "80", comment=" ")
    assert refused.value.error_dict["comment"][0].code == "comment_required"


def test_published_grades_refuse_a_reviewers_score(scheme, assigned, city_manager):
    services.evaluation_compute(scheme=scheme, actor=city_manager)
    services.evaluation_publish(scheme=scheme, actor=city_manager)
    with pytest.raises(ValidationError) as refused:
        _submit(scheme, assigned[2], "DG", "80")
    assert refused.value.code == "published"


# --- the trimmed mean over the reviewers' own scores --------------------------------


def test_the_trimmed_mean_combines_the_reviewers_entries(
    scheme, assigned, city_manager
):
    # Dong-gu's project: five reviewers, none tied; highest and lowest dropped.
    for person, score in zip(assigned, ["95", "60", "80", "70", "75"], strict=True):
        _submit(scheme, person, "DG", score)
    assert services.qualitative_of(scheme)[_project(scheme, "DG").pk] == Decimal(75)
    services.evaluation_compute(scheme=scheme, actor=city_manager)
    evaluation = ProjectEvaluation.objects.get(project=_project(scheme, "DG"))
    assert evaluation.qualitative == Decimal("75.00")


# --- the city: assigns, follows, reminds, and enters nothing --------------------------


def test_only_reviewers_or_pool_members_are_assigned(scheme, city_manager, orgs):
    officer = UserFactory(
        username="t-officer", organisation=orgs["BP"], role=Role.DISTRICT_OFFICER
    )
    with pytest.raises(ValidationError) as refused:
        qualitative.evaluation_reviewer_assign(
            scheme=scheme, reviewer=officer, actor=city_manager
        )
    assert refused.value.code == "not_a_reviewer"
    ReviewerPoolMember.objects.create(reviewer=officer)
    qualitative.evaluation_reviewer_assign(
        scheme=scheme, reviewer=officer, actor=city_manager
    )
    assert EvaluationReviewer.objects.filter(reviewer=officer).exists()


def test_only_the_city_assigns_and_reminds(scheme, reviewers, reviewer):
    with pytest.raises(PermissionDenied):
        qualitative.evaluation_reviewer_assign(
            scheme=scheme, reviewer=reviewers[0], actor=reviewer
        )
    with pytest.raises(PermissionDenied):
        qualitative.evaluation_reviewers_remind(scheme=scheme, actor=reviewer)
    assert not EvaluationReviewer.objects.exists()


def test_the_city_sees_who_has_scored_what_and_reminds_those_with_projects_left(
    client, scheme, assigned, city_manager, django_capture_on_commit_callbacks
):
    own_district, declared_tie, free = assigned[0], assigned[1], assigned[2]
    _submit(scheme, own_district, "DG", "80")
    _submit(scheme, own_district, "SG", "70")
    _submit(scheme, free, "DG", "75")
    progress, projects = qualitative.qualitative_progress(scheme=scheme)
    by_name = {row.assignment.reviewer.username: row for row in progress}
    assert (by_name["t-eval-1"].to_score, by_name["t-eval-1"].scored) == (2, 2)
    assert by_name["t-eval-1"].tied == 1 and by_name["t-eval-1"].left == 0
    assert (by_name["t-eval-2"].scored, by_name["t-eval-2"].left) == (0, 2)
    assert (by_name["t-eval-3"].scored, by_name["t-eval-3"].left) == (1, 2)
    per_project = {
        row.project.district.code: (row.scores, row.reviewers) for row in projects
    }
    assert per_project == {"BP": (0, 4), "SG": (1, 4), "DG": (2, 5)}

    client.force_login(city_manager)
    page = client.get(reverse("evaluation_detail", args=[scheme.pk])).content.decode()
    assert 'data-reviewer="t-eval-3"' in page and "data-remind" in page
    # The old form that typed a score for a reviewer is gone.
    assert 'name="score"' not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("evaluation_action", args=[scheme.pk, "remind"]))
    reminded = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(p.email for p in assigned if p is not own_district)
    assert reminded == expected
    assert EvaluationReviewer.objects.get(reviewer=own_district).reminded_at is None
    assert EvaluationReviewer.objects.get(reviewer=declared_tie).reminded_at


def test_the_city_cannot_enter_a_score_for_a_reviewer_on_its_page(
    client, scheme, assigned, city_manager
):
    client.force_login(city_manager)
    client.post(
        reverse("evaluation_action", args=[scheme.pk, "score"]),
        {
            "project": _project(scheme, "DG").pk,
            "reviewer": assigned[2].pk,
            "score": "99",
        },
    )
    assert not QualitativeScore.objects.exists()
    with pytest.raises(PermissionDenied):
        _submit(scheme, city_manager, "DG", "99")


@pytest.fixture
def superuser(orgs):
    return UserFactory(
        username="t-root",
        organisation=orgs["ICN"],
        role=Role.CITY_MANAGER,
        is_superuser=True,
    )


@pytest.mark.parametrize("who", ["city_manager", "superuser"])
def test_the_generic_admin_cannot_add_change_or_delete_a_score(
    client, scheme, assigned, who, request
):
    row = _submit(scheme, assigned[2], "DG", "75")
    client.force_login(request.getfixturevalue(who))
    form = {
        "scheme": scheme.pk,
        "project": _project(scheme, "SG").pk,
        "reviewer": assigned[3].pk,
        "score": "99",
        "comment": "대리 입력",
    }
    add = client.post(reverse("qualitative_scores:add"), form)
    edit = client.post(reverse("qualitative_scores:edit", args=[row.pk]), form)
    delete = client.post(reverse("qualitative_scores:delete", args=[row.pk]))
    for response in (add, edit, delete):
        assert response.status_code in (302, 403)
        assert reverse("qualitative_scores:index") not in response.get("Location", "")
    assert list(QualitativeScore.objects.values_list("reviewer", "score")) == [
        (assigned[2].pk, Decimal(75))
    ]
    # The listing shows the reviewers' scores, and offers no button to add one.
    listing = client.get(reverse("qualitative_scores:index")).content.decode()
    assert "현장 점검 결과 양호" in listing
    assert reverse("qualitative_scores:add") not in listing


@translation.override("en")
def test_the_reviewers_list_shows_their_evaluations_and_is_a_404_to_others(
    client, scheme, assigned, bupyeong_officer
):
    _submit(scheme, assigned[2], "DG", "75")
    client.force_login(assigned[2])
    page = client.get(reverse("evaluation_qualitative_mine")).content.decode()
    assert f'data-scheme="{scheme.pk}"' in page
    client.force_login(bupyeong_officer)
    assert client.get(reverse("evaluation_qualitative_mine")).status_code == 404
