"""Public reads from a streaming replica (issue 26; docs/deploy.md "Read
replica"): ``scripts/replica.sh start`` makes a second cluster on 127.0.0.1:5433
from ``pg_basebackup -R``, this module points the ``replica`` alias at the same
database there and asks the open-data API through the whole Django stack.

* ``replica_served`` — ``yes`` when the answer was read on the replica: the
  read scope chose it and the connection that served it is in recovery on
  port 5433; ``skipped (reason)`` when no replica could be started;
* ``replica_api_ms`` — the median open-data answer read from the replica (the
  lag probe included: every request probes here);
* ``replica_lag_ms`` — the replay lag the probe measured;
* ``replica_catchup_ms`` — from a commit on the primary to the replica showing it;
* ``replica_stamp_held`` — with replay paused, a write on the primary moves the
  primary's data stamp while the page keeps claiming the replica's (and shows
  the replica's figures with it); ``replica_lag_fallback`` — with the lag limit
  below the lag, the same page is read from the primary and claims its stamp;
  ``replica_stamp_moved`` — replay resumed, the page's stamp moves.
"""

import os
import statistics
import subprocess
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.test import Client

from common import replica
from reporting.evaluation.caching import STAMP_PK, current_stamp, public_data_changed

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "replica.sh"
PORT = int(os.environ.get("REPLICA_PORT", "5433"))
ADDRESS = "/api/v1/projects/?numOfRows=100"
RUNS = 15


def _start() -> str | None:
    """Start the replica; the reason it could not be, else None."""
    if os.geteuid() != 0:
        return "not root: scripts/replica.sh needs runuser postgres"
    try:
        done = subprocess.run(
            [str(SCRIPT), "start"], capture_output=True, text=True, timeout=3600
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"scripts/replica.sh start: {error}"
    if done.returncode:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["?"]
        return f"scripts/replica.sh start failed: {last[0]}"
    return None


def _point_at_replica() -> None:
    """What ``DATABASE_REPLICA_URL`` does at start-up, done in this process:
    the same database and role, on the replica's port."""
    primary = connection.settings_dict
    url = (
        f"postgres://{primary['USER']}:{primary['PASSWORD']}@127.0.0.1:{PORT}/"
        f"{primary['NAME']}"
    )
    os.environ["DATABASE_REPLICA_URL"] = url
    import dj_database_url

    alias = dj_database_url.parse(url)
    settings.DATABASES[replica.REPLICA] = alias
    connections.settings[replica.REPLICA] = connections.configure_settings(
        {"default": dict(primary), replica.REPLICA: dict(alias)}
    )[replica.REPLICA]
    settings.SANGSAENG_REPLICA_PROBE_S = 0
    replica._probe.forget()


def _replica_version() -> int:
    from reporting.evaluation.models import PublicDataStamp

    found = (
        PublicDataStamp.objects.using(replica.REPLICA)
        .filter(pk=STAMP_PK)
        .values_list("version", flat=True)
        .first()
    )
    return found or 0


def _move_stamp() -> int:
    with transaction.atomic():
        public_data_changed()
    return current_stamp()[0]


def _wait_for(version: int, timeout: float = 120.0) -> float:
    """Milliseconds until the replica has replayed the stamp ``version``."""
    started = time.perf_counter()
    while _replica_version() < version:
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"the replica did not reach stamp {version}")
        time.sleep(0.005)
    return (time.perf_counter() - started) * 1000


def _superuser_sql(sql: str) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-p", str(PORT), "-tAqc", sql],
        check=True,
        capture_output=True,
    )


def _page_version(response) -> int:
    return int(response["ETag"].strip('"').split("-")[1])


def _served_by_replica(response) -> bool:
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        in_recovery, port = cursor.fetchone()
    return response.wsgi_request.read_from == replica.REPLICA and (
        in_recovery and port == PORT
    )


def _vendor() -> str:
    return connection.vendor


def run():
    if _vendor() != "postgresql":
        yield "replica_served", "skipped (needs PostgreSQL: make bench)"
        return
    reason = _start()
    if reason:
        yield "replica_served", f"skipped ({reason})"
        return
    try:
        yield from _measure()
    finally:
        replica._probe.forget()
        if not os.environ.get("BENCH_KEEP_REPLICA"):
            subprocess.run([str(SCRIPT), "stop"], capture_output=True, check=False)


def _measure():
    _point_at_replica()
    client = Client(HTTP_HOST="127.0.0.1")
    version = _move_stamp()
    catchup_ms = _wait_for(version)

    def ask():
        response = client.get(ADDRESS)
        assert response.status_code == 200, response.status_code
        return response

    first = ask()
    yield "replica_served", "yes" if _served_by_replica(first) else "no"
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        ask()
        times.append((time.perf_counter() - started) * 1000)
    yield "replica_api_ms", round(statistics.median(times), 1)
    yield "replica_lag_ms", round(replica.replica_lag_seconds() * 1000, 1)
    yield "replica_catchup_ms", round(catchup_ms, 1)

    # Replay paused: the primary moves on, the replica (and the page) do not.
    _superuser_sql("SELECT pg_wal_replay_pause()")
    try:
        held = _replica_version()
        moved = _move_stamp()
        page = ask()
        yield (
            "replica_stamp_held",
            (
                f"yes (page {_page_version(page)}, replica {held}, primary {moved})"
                if page.wsgi_request.read_from == replica.REPLICA
                and _page_version(page) == held < moved
                else f"no (page {_page_version(page)}, replica {held}, primary {moved})"
            ),
        )
        time.sleep(0.2)
        limit = settings.SANGSAENG_REPLICA_MAX_LAG_S
        settings.SANGSAENG_REPLICA_MAX_LAG_S = 0.05
        try:
            page = ask()
        finally:
            settings.SANGSAENG_REPLICA_MAX_LAG_S = limit
        yield (
            "replica_lag_fallback",
            (
                f"yes (read from {page.wsgi_request.read_from}, page {_page_version(page)})"
                if page.wsgi_request.read_from == "default"
                and _page_version(page) == moved
                else f"no (read from {page.wsgi_request.read_from})"
            ),
        )
    finally:
        _superuser_sql("SELECT pg_wal_replay_resume()")
    waited_ms = _wait_for(moved)
    page = ask()
    yield (
        "replica_stamp_moved",
        (
            f"yes (page {_page_version(page)} after {waited_ms:.0f} ms of replay)"
            if page.wsgi_request.read_from == replica.REPLICA
            and _page_version(page) == moved
            else f"no (page {_page_version(page)}, primary {moved})"
        ),
    )
