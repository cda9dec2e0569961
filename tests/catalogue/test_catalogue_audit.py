"""A change to the catalogue made on its screen is in the audit trail, with
who made it and what changed."""

from auditlog.models import LogEntry
from django.urls import reverse

from tests.indicators import catalogue_indicator


def test_renaming_an_indicator_on_the_screen_is_recorded_with_its_author(
    client, city_manager
):
    households = catalogue_indicator("households")
    client.force_login(city_manager)
    data = {
        "code": "households",
        "name_ko": "방문한 가구",
        "name_en": households.name_en,
        "unit_ko": households.unit_ko,
        "unit_en": households.unit_en,
        "aggregation": households.aggregation,
        "disaggregation": households.disaggregation,
        "target_required": "on",
        "source": households.source,
        "definition_ko": "",
        "definition_en": "",
        "is_active": "on",
    }
    response = client.post(reverse("indicators:edit", args=[households.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = (
        LogEntry.objects.get_for_object(households)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == city_manager
    assert entry.changes["name_ko"] == ["방문 가구", "방문한 가구"]
