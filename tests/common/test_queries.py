"""AnyOf: a filter on many ids sent as one parameter, on SQLite and PostgreSQL."""

import pytest

from accounts.models import Organisation
from common.queries import AnyOf


@pytest.mark.django_db
def test_any_of_keeps_exactly_the_listed_rows(orgs):
    wanted = [orgs["BP"].pk, orgs["SG"].pk]
    found = Organisation.objects.filter(AnyOf("pk", wanted)).values_list(
        "code", flat=True
    )
    assert sorted(found) == ["BP", "SG"]
    assert not Organisation.objects.filter(AnyOf("pk", [])).exists()
    # Combined with other conditions and negated, as a lookup would be.
    assert list(
        Organisation.objects.filter(AnyOf("pk", wanted), code="SG").values_list(
            "code", flat=True
        )
    ) == ["SG"]
    others = Organisation.objects.exclude(AnyOf("pk", wanted)).values_list(
        "code", flat=True
    )
    assert (
        "BP" not in others
        and "SG" not in others
        and len(others) == Organisation.objects.count() - 2
    )


@pytest.mark.django_db
def test_any_of_takes_thousands_of_ids_in_one_parameter(orgs):
    ids = [orgs["BP"].pk, *range(10**9, 10**9 + 20_000)]
    assert list(
        Organisation.objects.filter(AnyOf("pk", ids)).values_list("code", flat=True)
    ) == ["BP"]
