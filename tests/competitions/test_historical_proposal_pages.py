"""A proposal recorded from the past (no officer account sent it) opens like any
other: its pages name nobody rather than break."""

from django.urls import reverse


def test_the_city_opens_a_proposal_recorded_without_an_officer(
    client, city_manager, bupyeong_proposal
):
    assert bupyeong_proposal.created_by is None
    client.force_login(city_manager)
    response = client.get(reverse("proposals:inspect", args=[bupyeong_proposal.pk]))
    assert response.status_code == 200
    assert bupyeong_proposal.title in response.content.decode()
