"""What each request of the load test cost the server: process CPU time and
database queries, tagged by the step of the rush that sent it.

Active only in the load settings (config/settings/load.py). Wall time on a busy
2-core machine measures the queue as much as the work; CPU time (user + system,
``getrusage``) measures the work, and divided by the machine's reference loop
(bench/machine.py) it compares across machines. gunicorn's sync workers serve one
request per process at a time, so the process's own CPU time is the request's.
"""

import json
import os
import resource
import time

from django.conf import settings
from django.db import connection

STEP_HEADER = "HTTP_X_LOAD_STEP"


def cpu_seconds() -> float:
    """User plus system CPU time this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class QueryCounter:
    """Counts the queries a request sends (an execute wrapper: nothing logged,
    nothing kept but the number)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestCostMiddleware:
    """Appends one JSON line per tagged request to ``LOAD_REQUEST_LOG``:
    the step (the ``X-Load-Step`` header the Locust users send), method, status,
    CPU milliseconds, wall milliseconds and query count. Untagged requests (the
    warm-up, health checks) are not recorded. One short ``write`` in append mode
    per line, so the gunicorn workers' lines do not interleave."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path = str(settings.LOAD_REQUEST_LOG)

    def __call__(self, request):
        step = request.META.get(STEP_HEADER)
        if not step:
            return self.get_response(request)
        counter = QueryCounter()
        started_cpu, started_wall = cpu_seconds(), time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        line = {
            "step": step,
            "method": request.method,
            "status": response.status_code,
            "cpu_ms": round((cpu_seconds() - started_cpu) * 1000, 2),
            "wall_ms": round((time.perf_counter() - started_wall) * 1000, 2),
            "queries": counter.count,
        }
        data = (json.dumps(line) + "\n").encode()
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)
        return response
