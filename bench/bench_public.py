"""Public answers at city scale: the open-data API and dataset pages over the
roll-up benchmark's city (226 districts × 20 projects a year, 10 years; built
by ``bench_rollup`` and reused through its fingerprint).

Each request goes through the whole Django stack (test client: middleware,
language, security headers) and the median of several runs is printed:

* ``public_full_ms`` — a full answer: the city's outcomes for a month
  (``/api/v1/outcomes/``, the roll-up every public figure comes from);
* ``public_projects_full_ms`` — the selected-projects dataset (4,520 projects);
* ``public_304_ms`` — the same outcomes request repeated with its ETag:
  answered from the data stamp (one row) before any roll-up; target < 20 ms;
* ``public_page_full_ms`` / ``public_page_304_ms`` — a public *page* (the
  district page of the city's first district: its projects and figures over
  the years), in full and repeated with its ETag (the stamp, the calls'
  clock, nothing of the district built).
"""

import statistics
import time

from django.db import connection
from django.test import Client

from bench import bench_rollup

RUNS = 15


def _median_ms(call) -> float:
    call()  # warm-up
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _reusable() -> bool:
    from accounts.models import Organisation

    fingerprint = (
        Organisation.objects.filter(code=bench_rollup.FINGERPRINT_CODE)
        .values_list("name_ko", flat=True)
        .first()
    )
    return fingerprint == bench_rollup._fingerprint()


def run():
    if connection.vendor != "postgresql":
        raise SystemExit("bench_public needs PostgreSQL (make bench sets DATABASE_URL)")
    from reporting.evaluation.caching import public_data_changed

    if not _reusable():
        # bench_rollup.run() generates the city on its first step.
        next(iter(bench_rollup.run()))
    public_data_changed()
    client = Client(HTTP_HOST="127.0.0.1")
    year = bench_rollup.YEARS[-1]
    outcomes = f"/api/v1/outcomes/?year={year}&month={bench_rollup.MONTH}"

    def full():
        response = client.get(outcomes)
        assert response.status_code == 200, response.status_code
        return response

    etag = full()["ETag"]

    def not_modified():
        response = client.get(outcomes, HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304, response.status_code

    def projects():
        response = client.get(f"/api/v1/projects/?year={year}&numOfRows=100")
        assert response.status_code == 200, response.status_code

    from accounts.models import Organisation

    district = (
        Organisation.objects.filter(kind__in=Organisation.LOCAL_KINDS)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    district_page = f"/districts/{district}/"

    def page_full():
        response = client.get(district_page)
        assert response.status_code == 200, response.status_code
        return response

    page_etag = page_full()["ETag"]

    def page_not_modified():
        response = client.get(district_page, HTTP_IF_NONE_MATCH=page_etag)
        assert response.status_code == 304, response.status_code

    yield "public_full_ms", _median_ms(full)
    yield "public_projects_full_ms", _median_ms(projects)
    yield "public_304_ms", _median_ms(not_modified)
    yield "public_page_full_ms", _median_ms(page_full)
    yield "public_page_304_ms", _median_ms(page_not_modified)
