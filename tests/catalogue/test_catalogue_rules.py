"""The catalogue's rules, held by indicators.services whatever the door: who
may change it, what a used indicator keeps, what a core one keeps, and what a
validation rule must say."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from indicators import builtins, services
from indicators.models import Indicator, ValidationRule
from tests.indicators import catalogue_indicator


def _new(**fields) -> Indicator:
    values = {
        "code": "job_fairs",
        "name_ko": "채용박람회",
        "name_en": "Job fairs held",
        "unit_ko": "회",
        "unit_en": "events",
        "aggregation": "sum",
        "disaggregation": "none",
    }
    values.update(fields)
    return Indicator(**values)


def _used_by_a_plan(orgs):
    from tests.projects.fixtures import make_project

    make_project(orgs["BP"])  # its plan's outputs: households and visits
    return catalogue_indicator("households")


def _refusal(error: ValidationError, field: str) -> str:
    return " ".join(error.value.message_dict[field])


# --- who ------------------------------------------------------------------------


def test_a_city_manager_adds_an_indicator_to_the_catalogue(city_manager):
    indicator = services.indicator_create(actor=city_manager, indicator=_new())
    stored = Indicator.objects.get(code="job_fairs")
    assert stored.pk == indicator.pk and not stored.is_core and stored.is_active


@pytest.mark.parametrize(
    "person", ["bupyeong_officer", "bupyeong_approver", "reviewer"]
)
def test_nobody_but_city_managers_changes_the_catalogue(request, person):
    user = request.getfixturevalue(person)
    with pytest.raises(PermissionDenied):
        services.indicator_create(actor=user, indicator=_new())
    households = catalogue_indicator("households")
    households.name_ko = "바꾼 이름"
    with pytest.raises(PermissionDenied):
        services.indicator_update(actor=user, indicator=households)
    with pytest.raises(PermissionDenied):
        services.indicator_retire(actor=user, indicator=households)
    assert not Indicator.objects.filter(code="job_fairs").exists()
    assert Indicator.objects.get(code="households").name_ko == "방문 가구"


def test_a_new_entry_is_never_a_core_one(city_manager):
    indicator = services.indicator_create(
        actor=city_manager, indicator=_new(is_core=True)
    )
    assert not Indicator.objects.get(pk=indicator.pk).is_core


def test_a_code_that_is_not_a_stable_slug_is_refused(city_manager):
    with pytest.raises(ValidationError) as error:
        services.indicator_create(actor=city_manager, indicator=_new(code="Job Fairs"))
    assert "code" in error.value.message_dict
    assert not Indicator.objects.filter(name_ko="채용박람회").exists()


# --- a used indicator ---------------------------------------------------------------


def test_an_unused_indicators_code_and_meaning_may_change(city_manager):
    fairs = services.indicator_create(actor=city_manager, indicator=_new())
    fairs.code, fairs.aggregation, fairs.disaggregation = "fairs", "max", "sex"
    services.indicator_update(actor=city_manager, indicator=fairs)
    stored = Indicator.objects.get(pk=fairs.pk)
    assert (stored.code, stored.aggregation, stored.disaggregation) == (
        "fairs",
        "max",
        "sex",
    )


def test_a_used_indicators_code_cannot_change(orgs, city_manager):
    households = _used_by_a_plan(orgs)
    households.code = "households_new"
    with translation.override("ko"), pytest.raises(ValidationError) as error:
        services.indicator_update(actor=city_manager, indicator=households)
    assert "households 유지" in _refusal(error, "code")
    assert Indicator.objects.filter(code="households").exists()


def test_a_used_indicators_names_and_definition_may_change(orgs, city_manager):
    households = _used_by_a_plan(orgs)
    households.name_ko, households.definition_ko = "방문한 가구", "처음 방문한 가구 수"
    services.indicator_update(actor=city_manager, indicator=households)
    stored = Indicator.objects.get(code="households")
    assert (stored.name_ko, stored.definition_ko) == (
        "방문한 가구",
        "처음 방문한 가구 수",
    )


@pytest.mark.parametrize(
    "field, value", [("aggregation", "last"), ("disaggregation", "target_group")]
)
def test_a_used_indicators_aggregation_or_split_cannot_change(
    orgs, city_manager, field, value
):
    households = _used_by_a_plan(orgs)
    setattr(households, field, value)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.indicator_update(actor=city_manager, indicator=households)
    assert "past figures were reported under the old meaning" in _refusal(error, field)
    stored = Indicator.objects.get(code="households")
    assert (stored.aggregation, stored.disaggregation) == ("sum", "none")


@pytest.mark.parametrize("use", ["call", "proposal", "figure", "rule"])
def test_every_kind_of_use_counts(request, orgs, city_manager, use):
    from tests.projects.fixtures import make_project

    fairs = services.indicator_create(actor=city_manager, indicator=_new())
    if use == "call":
        from competitions.models import CallIndicator, CallPage

        CallIndicator.objects.create(page=_a_call(request), indicator=fairs)
        assert CallPage.objects.exists()
    elif use == "proposal":
        from competitions.models import Proposal, ProposalOutput

        proposal = Proposal.objects.create(
            call=_a_call(request), district=orgs["BP"], title="제안"
        )
        ProposalOutput.objects.create(proposal=proposal, indicator=fairs, target=3)
    elif use == "figure":
        from reporting.models import FigureYear

        project = make_project(orgs["BP"])
        FigureYear.objects.create(
            project=project,
            district=orgs["BP"],
            year=2019,
            measure="job_fairs",
            key="total",
            first_month=1,
        )
    else:
        ValidationRule.objects.create(
            code="fairs-rule",
            left=fairs,
            comparison="lte",
            right=catalogue_indicator("visits"),
            message_ko="가",
            message_en="a",
        )
    assert services.indicator_is_used(fairs)
    fairs.code = "fairs"
    with pytest.raises(ValidationError):
        services.indicator_update(actor=city_manager, indicator=fairs)


def _a_call(request):
    from tests.competitions.conftest import make_call

    return make_call(request.getfixturevalue("call_index"), slug="call-x")


def test_a_used_indicator_cannot_be_deleted_and_is_told_to_retire(orgs, city_manager):
    households = _used_by_a_plan(orgs)
    with translation.override("en"):
        reason = services.indicator_delete_refusal(households)
        with pytest.raises(ValidationError):
            services.indicator_delete(actor=city_manager, indicator=households)
    assert "retire it" in reason and "output targets" in reason  # the plan's
    services.indicator_retire(actor=city_manager, indicator=households)
    stored = Indicator.objects.get(code="households")
    assert not stored.is_active  # kept, with its figures; no longer chosen


def test_an_unused_indicator_can_be_deleted(city_manager):
    fairs = services.indicator_create(actor=city_manager, indicator=_new())
    services.indicator_delete(actor=city_manager, indicator=fairs)
    assert not Indicator.objects.filter(code="job_fairs").exists()


# --- core indicators --------------------------------------------------------------------


def test_a_core_indicator_cannot_be_deleted_or_retired(city_manager):
    hires = Indicator.objects.get(code=builtins.NEW_HIRES)
    assert services.indicator_delete_refusal(hires)
    with pytest.raises(ValidationError):
        services.indicator_delete(actor=city_manager, indicator=hires)
    with pytest.raises(ValidationError):
        services.indicator_retire(actor=city_manager, indicator=hires)
    hires.is_active = False
    with pytest.raises(ValidationError) as error:
        services.indicator_update(actor=city_manager, indicator=hires)
    assert "is_active" in error.value.message_dict
    assert Indicator.objects.get(code=builtins.NEW_HIRES).is_active


@pytest.mark.parametrize(
    "field, value", [("aggregation", "max"), ("disaggregation", "none")]
)
def test_a_core_indicators_aggregation_and_split_are_fixed(city_manager, field, value):
    employed = Indicator.objects.get(code=builtins.EMPLOYED)
    setattr(employed, field, value)
    with pytest.raises(ValidationError) as error:
        services.indicator_update(actor=city_manager, indicator=employed)
    assert field in error.value.message_dict
    stored = Indicator.objects.get(code=builtins.EMPLOYED)
    assert (stored.aggregation, stored.disaggregation) == ("last", "target_group")


def test_a_core_indicators_definition_may_be_edited(city_manager):
    hires = Indicator.objects.get(code=builtins.NEW_HIRES)
    hires.definition_ko = "그 달 신규 채용 인원(대상 계층별, 근로계약일 기준)."
    services.indicator_update(actor=city_manager, indicator=hires)
    stored = Indicator.objects.get(code=builtins.NEW_HIRES)
    assert stored.definition_ko.endswith("근로계약일 기준).") and stored.is_core


# --- validation rules -------------------------------------------------------------------


def _rule(**fields) -> ValidationRule:
    values = {
        "code": "visits-cover-households",
        "left": catalogue_indicator("visits"),
        "left_window": "month",
        "comparison": "gte",
        "right": catalogue_indicator("households"),
        "right_window": "month",
        "severity": "warning",
        "message_ko": "방문 횟수({left})가 방문 가구({right})보다 적습니다.",
        "message_en": "Visits ({left}) are fewer than households visited ({right}).",
    }
    values.update(fields)
    return ValidationRule(**values)


def test_a_city_manager_writes_a_rule_over_two_indicators(city_manager):
    services.validation_rule_create(actor=city_manager, rule=_rule())
    stored = ValidationRule.objects.get(code="visits-cover-households")
    assert (stored.left.code, stored.comparison, stored.right.code) == (
        "visits",
        "gte",
        "households",
    )


def test_an_officer_cannot_write_a_rule(bupyeong_officer):
    with pytest.raises(PermissionDenied):
        services.validation_rule_create(actor=bupyeong_officer, rule=_rule())
    assert not ValidationRule.objects.filter(code="visits-cover-households").exists()


@pytest.mark.parametrize("field", ["message_ko", "message_en"])
def test_a_rule_needs_its_message_in_both_languages(city_manager, field):
    with pytest.raises(ValidationError) as error:
        services.validation_rule_create(
            actor=city_manager, rule=_rule(**{field: "   "})
        )
    assert field in error.value.message_dict


def test_a_rule_compares_two_different_indicators(city_manager):
    visits = catalogue_indicator("visits")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.validation_rule_create(
            actor=city_manager, rule=_rule(right=visits, right_window="to_date")
        )
    assert "different indicators" in _refusal(error, "right")


def test_money_is_not_compared_with_a_count(city_manager):
    spending = Indicator.objects.get(code=builtins.SPENDING)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.validation_rule_create(actor=city_manager, rule=_rule(right=spending))
    assert "compare like with like" in _refusal(error, "right")
    with translation.override("ko"), pytest.raises(ValidationError) as error:
        services.validation_rule_create(actor=city_manager, rule=_rule(right=spending))
    assert "같은 종류끼리 비교하세요" in _refusal(error, "right")


def test_a_message_with_an_unknown_placeholder_is_refused(city_manager):
    with pytest.raises(ValidationError) as error:
        services.validation_rule_create(
            actor=city_manager, rule=_rule(message_en="Visits {visits} too few")
        )
    assert "message_en" in error.value.message_dict


def test_a_rule_is_changed_through_the_same_checks(city_manager):
    rule = services.validation_rule_create(actor=city_manager, rule=_rule())
    rule.right = Indicator.objects.get(code=builtins.SPENDING)
    with pytest.raises(ValidationError):
        services.validation_rule_update(actor=city_manager, rule=rule)
    assert ValidationRule.objects.get(pk=rule.pk).right.code == "households"
