"""The load test's cost per step: the middleware of the load settings records
each tagged request's CPU time and queries, and `make loadtest` turns the lines
into cpu_ms, cpu_ratio and queries per step, and cpu_ratio_max."""

import json

from django.test import override_settings
from django.urls import reverse

from bench.loadtest.costs import cost_by_step, report

COST_MIDDLEWARE = "common.cpu_middleware.RequestCostMiddleware"


def _recording(tmp_path):
    from django.conf import settings

    log = tmp_path / "requests.jsonl"
    return log, override_settings(
        LOAD_REQUEST_LOG=log, MIDDLEWARE=[COST_MIDDLEWARE, *settings.MIDDLEWARE]
    )


def test_a_tagged_request_is_recorded_with_its_cpu_time_and_queries(
    client, bupyeong_officer, tmp_path
):
    log, recording = _recording(tmp_path)
    client.force_login(bupyeong_officer)
    with recording:
        client.get(reverse("wagtailadmin_home"), HTTP_X_LOAD_STEP="admin: home")
        client.get(reverse("wagtailadmin_home"))  # untagged: the warm-up

    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(lines) == 1
    (line,) = lines
    assert (line["step"], line["method"], line["status"]) == ("admin: home", "GET", 200)
    assert line["cpu_ms"] > 0
    assert line["queries"] > 0


def test_steps_are_summarised_by_median_and_the_costliest_named():
    lines = [
        {"step": "proposal: open draft", "method": "GET", "cpu_ms": ms, "queries": q}
        for ms, q in ((60, 27), (90, 27), (300, 29))
    ] + [
        {"step": "city: dashboard", "method": "GET", "cpu_ms": 40, "queries": 30},
        {"step": "proposal: save draft", "method": "POST", "cpu_ms": 45, "queries": 51},
    ]

    rows = cost_by_step(lines, loop_ms=60)

    assert [row["step"] for row in rows] == [
        "proposal: open draft GET",
        "proposal: save draft POST",
        "city: dashboard GET",
    ]
    assert rows[0]["cpu_ms"] == 90 and rows[0]["cpu_ratio"] == 1.5
    assert (rows[0]["queries"], rows[0]["queries_max"]) == (27, 29)
    printed = report(rows)
    assert printed[0].startswith("step proposal: open draft GET: requests 3, cpu_ms 90")
    assert printed[-1] == "cpu_ratio_max: 1.5 (proposal: open draft GET)"


def test_a_run_without_recorded_requests_says_so():
    assert report(cost_by_step([], loop_ms=60)) == ["cpu_ratio_max: none recorded"]
