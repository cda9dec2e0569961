"""The Incheon 2019 demo, seeded once for the package (inside a transaction
rolled back at the end): the open data is read from what the city accepted."""

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--quiet-accounts")
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo, db):
    """The demo, inside the test's own (rolled back) transaction."""
    return None


def items(response) -> list[dict]:
    return response.json()["response"]["body"]["items"]["item"]


def header(response) -> dict:
    return response.json()["response"]["header"]
