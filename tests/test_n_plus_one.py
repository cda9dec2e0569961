"""No N+1 on any admin page: every listing and detail a city manager or a
district officer may open (the permission matrix's URLs whose expectation for
the role is "ok") is opened twice — on the demo, and again after 30 more
proposals, 30 more projects and 30 more monthly reports in several districts —
and must not send more queries with more rows. A page whose count grows with
the rows loops over them with a query each: fix it with select_related,
prefetch_related or an annotation.

Each page's count (with the extra rows) is recorded in tests/query_counts.json;
a page that sends more than its recorded count fails, so an increase is seen in
review. When the increase is intended (a new column, a new panel), rewrite the
file with ``SANGSAENG_UPDATE_QUERY_COUNTS=1`` and commit it with the change.
"""

import json
import os
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.permission_matrix import CITY_MANAGER, DISTRICT_OFFICER, OK
from tests.test_permission_matrix import (
    CASES,
    TWO_FACTOR_ROLES,
    _objects,
    _seed_demo,
    _sessions,
    client_for,
    url_for,
)

COUNTS_FILE = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("SANGSAENG_UPDATE_QUERY_COUNTS") == "1"
MORE_ROWS = 30
# Rows added, pages unchanged: a few queries may come and go (a cache filled
# once, a second page of results), thirty may not.
GROWTH_ALLOWED = 4
ROLES = (CITY_MANAGER, DISTRICT_OFFICER)
# Pages that do grow with the rows, and why that is accepted for now.
KNOWN_GROWTH = {
    "organisations:usage-city_manager": "Wagtail's usage view loads each object "
    "that refers to the district (projects) by itself; paginated, so at most a "
    "page of rows. To fix in Wagtail's ReferenceGroups or a usage view of our own.",
    "proposals:start_from-district_officer": "Copy last year asks, for each of "
    "the district's earlier projects, whether it may continue "
    "(reporting.evaluation.selectors.continuation_eligible, a grade query per "
    "project): one district's projects, tens at most. To batch in "
    "competitions.selectors.carry.copy_sources_for.",
}
# Two passes over some 360 pages after seeding the demo: minutes, not seconds.
pytestmark = pytest.mark.timeout(2400)


def _pages() -> list[tuple[str, str, object]]:
    """(id, role, case) of every admin GET the role opens with success."""
    pages = []
    for case in CASES:
        if case.problem:
            continue
        for role in ROLES:
            if case.cells.get(role) == OK and role not in case.xfail:
                pages.append((f"{case.id}-{role}", role, case))
    return pages


def _more_rows(o) -> None:
    """Thirty more of each, spread over the districts, each district's made by
    its own officer: proposals to the open call, projects of the 2018 call and
    a month filed for each new project."""
    from accounts.models import Organisation, User
    from accounts.roles import Role
    from bench.loadtest.setup import _draft
    from projects.services import plan_data, project_create
    from reporting.selectors import month_figures
    from tests.reporting.helpers import file_month

    districts = list(
        Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS).order_by("code")
    )
    officers = {
        user.organisation_id: user
        for user in User.objects.filter(
            groups__role__code=Role.DISTRICT_OFFICER
        ).order_by("-pk")
    }
    districts = [d for d in districts if d.pk in officers]
    bupyeong = next(d for d in districts if d.code == "BP")
    for number in range(MORE_ROWS):
        # Every other row 부평구's (the district officer of the matrix sees them
        # all), the rest spread over the other districts.
        district = bupyeong if number % 2 else districts[number % len(districts)]
        officer = officers[district.pk]
        if o.call_2027.is_eligible(district):
            _draft(o.call_2027, officer, number)
        project = project_create(
            district=district,
            title=f"{district.name_ko} 추가 사업 {number}",
            plan=plan_data(o.project.current_plan),
            actor=None,
            call=o.call_2018,
        )
        period = date(2019, 1, 1)  # the first month: nothing before it to wait for
        if project.covers(period):
            # The demo project's figures of that month: the same plan.
            figures = month_figures(project=o.project, period=period)
            values = {measure: dict(row) for measure, row in figures.items()}
            file_month(project, officer, period, values=values)


def _count(world, role: str, path: str) -> tuple[int, int]:
    client = client_for(world, role)
    # The connection keeps the last 9,000 queries only: once full, a capture
    # would count nothing. Each page starts from an empty log.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries)


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Each page's (status, queries) on the demo and with the extra rows."""
    from types import SimpleNamespace

    from common import admin_chrome

    # The admin's chrome is kept for minutes (common/admin_chrome.py); the two
    # passes take longer than that on a busy machine, and a page that happened
    # to fall just after the expiry counted the chrome's queries again. Kept
    # for the whole run, and begun empty (the in-process parts outlive each
    # test's cache clearing), every run counts the same.
    chrome = pytest.MonkeyPatch()
    chrome.setattr(admin_chrome, "CONFIG_SECONDS", 24 * 3600)
    chrome.setattr(admin_chrome, "SIDEBAR_SECONDS", 24 * 3600)
    for kept in (admin_chrome._configs, admin_chrome._dialogs, admin_chrome._icons):
        kept.clear()

    two_factor = (
        override_settings(SANGSAENG_TWO_FACTOR_REQUIRED_ROLES=TWO_FACTOR_ROLES)
        if TWO_FACTOR_ROLES is not None
        else override_settings()
    )
    with django_db_blocker.unblock(), transaction.atomic(), two_factor:
        _seed_demo()
        o = _objects()
        world = SimpleNamespace(objects=o, sessions=_sessions(o))
        pages = {page_id: (role, url_for(case, o)) for page_id, role, case in _pages()}
        # No warm-up pass: a cache filled on the first visit only makes the
        # demo's count higher, never hides a query per row.
        few = {page_id: _count(world, *where) for page_id, where in pages.items()}
        _more_rows(o)
        many = {page_id: _count(world, *where) for page_id, where in pages.items()}
        yield {"paths": pages, "few": few, "many": many}
        transaction.set_rollback(True)
    chrome.undo()
    if UPDATE:
        recorded = {page_id: many[page_id][1] for page_id in sorted(many)}
        COUNTS_FILE.write_text(
            json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def _recorded() -> dict[str, int]:
    if not COUNTS_FILE.exists():
        return {}
    return json.loads(COUNTS_FILE.read_text(encoding="utf-8"))


PAGES = _pages()


@pytest.mark.parametrize(
    "page_id", [page_id for page_id, _role, _case in PAGES], ids=str
)
def test_more_rows_send_no_more_queries(counts, db, page_id):
    path = counts["paths"][page_id][1]
    (status_few, few), (status_many, many) = (
        counts["few"][page_id],
        counts["many"][page_id],
    )
    assert status_few == status_many, f"{path}: {status_few} then {status_many}"
    if page_id in KNOWN_GROWTH:
        pytest.xfail(KNOWN_GROWTH[page_id])
    assert many - few <= GROWTH_ALLOWED, (
        f"{path}: {few} queries on the demo, {many} with {MORE_ROWS} more rows of "
        f"each — a query per row (N+1). Use select_related / prefetch_related / "
        f"an annotation for what the page shows of each row."
    )


@pytest.mark.parametrize(
    "page_id", [page_id for page_id, _role, _case in PAGES], ids=str
)
def test_no_page_sends_more_queries_than_recorded(counts, db, page_id):
    if UPDATE:
        pytest.skip("rewriting tests/query_counts.json")
    recorded = _recorded()
    many = counts["many"][page_id][1]
    how = (
        "If the increase is intended, rewrite the file with "
        "SANGSAENG_UPDATE_QUERY_COUNTS=1 pytest -n0 tests/test_n_plus_one.py "
        "and commit it with your change."
    )
    assert page_id in recorded, f"{page_id} has no recorded query count. {how}"
    assert many <= recorded[page_id], (
        f"{counts['paths'][page_id][1]} now sends {many} queries, "
        f"{recorded[page_id]} recorded in tests/query_counts.json. {how}"
    )


def test_the_recorded_counts_name_only_pages_that_exist():
    stale = set(_recorded()) - {page_id for page_id, _role, _case in PAGES}
    assert not stale, (
        f"remove from tests/query_counts.json (no such page now): {sorted(stale)}"
    )
