"""Loaded into a test's Celery worker with ``--include tests.faults.worker_pause``:
the worker's first write to a ``reporting_`` table inside a transaction runs,
then the worker stops there — its transaction open, half the import written —
and says so by creating the file named in ``SANGSAENG_FAULT_PAUSE_FILE``. The
test then kills the worker, as an out-of-memory kill or a power cut would."""

import os
import re
import time
from pathlib import Path

from django.db import connections

WRITE = re.compile(
    r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?reporting_', re.IGNORECASE
)


def _pause_inside_the_import(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if context["connection"].in_atomic_block and WRITE.match(sql):
        Path(os.environ["SANGSAENG_FAULT_PAUSE_FILE"]).write_text(str(os.getpid()))
        time.sleep(600)  # until the test kills this process
    return result


# The solo pool runs tasks in this (the main) thread, on this connection.
connections["default"].execute_wrappers.append(_pause_inside_the_import)
