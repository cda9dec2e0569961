"""The call editor chooses output indicators from the catalogue: active,
non-core entries, each once; a row kept from before may name one retired since."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data

from competitions.models import CallIndicator, CallPage
from indicators import builtins
from indicators.models import Indicator
from tests.indicators import catalogue_indicator

from .test_call_pages import call_form_data, post_call


def _with_indicators(orgs, indicators) -> dict:
    data = call_form_data(orgs)
    data.update(
        nested_form_data(
            {
                "indicators": inline_formset(
                    [{"indicator": str(indicator.pk)} for indicator in indicators]
                )
            }
        )
    )
    return data


def test_a_call_chooses_its_output_indicators_from_the_catalogue(
    client, call_index, city_manager, orgs
):
    client.force_login(city_manager)
    households, visits = (
        catalogue_indicator("households"),
        catalogue_indicator("visits"),
    )
    response = post_call(
        client, call_index, _with_indicators(orgs, [households, visits])
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    call = CallPage.objects.get(slug="call-2027")
    assert {row.indicator.code for row in call.indicators.all()} == {
        "households",
        "visits",
    }


def test_a_retired_or_core_indicator_is_not_offered_to_a_new_call(
    client, call_index, city_manager, orgs
):
    visits = catalogue_indicator("visits")
    visits.is_active = False
    visits.save()
    client.force_login(city_manager)
    for indicator in (visits, Indicator.objects.get(code=builtins.NEW_HIRES)):
        response = post_call(client, call_index, _with_indicators(orgs, [indicator]))
        assert response.status_code == 200
        assert "선택 가능한 지표를 고르세요" in response.content.decode()
    assert not CallPage.objects.filter(slug="call-2027").exists()


def test_the_same_indicator_twice_is_refused_on_its_row(
    client, call_index, city_manager, orgs
):
    households = catalogue_indicator("households")
    client.force_login(city_manager)
    response = post_call(
        client, call_index, _with_indicators(orgs, [households, households])
    )
    assert response.status_code == 200
    assert "이미 다른 줄에서 골랐습니다" in response.content.decode()
    assert not CallPage.objects.filter(slug="call-2027").exists()


def test_a_call_keeps_an_indicator_retired_after_it_was_chosen(call, city_manager):
    visits = catalogue_indicator("visits")
    visits.is_active = False
    visits.save()
    row = CallIndicator.objects.get(page=call, indicator=visits)
    row.full_clean()  # no error: the call chose it while it could be chosen
    fresh = CallIndicator(page=call, indicator=visits)
    try:
        fresh.full_clean(exclude=["page"])
    except Exception as error:  # noqa: BLE001
        assert "indicator" in error.message_dict
    else:
        raise AssertionError("a retired indicator was accepted as a new choice")
