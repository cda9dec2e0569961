"""`make loadtest`: the deadline rush against gunicorn, PostgreSQL, Redis and a
Celery worker, all on 127.0.0.1, then the machine (bench/machine.py) and four lines:

    p50_ms: …      median response time of every request
    p95_ms: …      95th percentile
    error_rate: …  failed requests / requests (a refused form counts as failed)
    lost: …        writes acknowledged to a user but missing from the database
                   afterwards: proposal submissions (receipt numbers), workbook
                   uploads and draft saves (see setup.count_lost)

The run is bounded: 200 district officers and 3 city managers, LOADTEST_SECONDS
(90) of rush, at most LOADTEST_MAX_REQUESTS (20,000) requests; then the server
and worker it started are stopped. The database (LOADTEST_DATABASE_URL, default
sangsaeng_load) is dropped and made again from the demo each time, so runs
compare. The machine's lines (bench/machine.py, measured before the rush) come
before the figures, which compare only between equally fast machines. Details
(per request type, acknowledged writes, logs) go to var/load/.

Then the cost of each step on the server (bench/loadtest/costs.py): per step and
method, ``cpu_ms`` (median process CPU time of a request), ``cpu_ratio``
(cpu_ms / machine_loop_cpu_ms: the reference loop of bench/machine.py timed
in CPU time too, so a machine busy with other work does not flatter the ratio) and queries per request,
and ``cpu_ratio_max: …`` for the costliest step. The lines are recorded by a
middleware active only in the load settings (common/cpu_middleware.py) into
var/load/requests.jsonl.

A slower or busier host: ``LOADTEST_BUSY=5 make loadtest`` starts five
busy-looping processes before anything is measured and stops them at the end;
they share the cores with the server, the database and the rush, and the
machine's loop (``machine_loop_ms``, wall time) shows how slow the host was.
"""

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench.loadtest.costs import cost_by_step, loop_cpu_ms, read_lines, report
from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent.parent
WORK = ROOT / "var" / "load"
REQUEST_LOG = WORK / "requests.jsonl"
DATABASE_URL = os.environ.get(
    "LOADTEST_DATABASE_URL",
    "postgres://sangsaeng:sangsaeng@127.0.0.1:5432/sangsaeng_load",
)
BROKER_URL = os.environ.get("LOADTEST_BROKER_URL", "redis://127.0.0.1:6379/11")
CACHE_URL = os.environ.get("LOADTEST_CACHE_URL", "redis://127.0.0.1:6379/12")
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "90"))
MAX_REQUESTS = int(os.environ.get("LOADTEST_MAX_REQUESTS", "20000"))
# Busy-looping processes beside the rush (a host busy with other work).
BUSY = int(os.environ.get("LOADTEST_BUSY", "0"))
# Two per core and a spare, as gunicorn's documentation suggests.
WEB_WORKERS = int(
    os.environ.get("LOADTEST_WEB_WORKERS", str(2 * (os.cpu_count() or 1) + 1))
)


def free_port() -> int:
    """A port no one listens on now (another server on this machine must not
    answer in gunicorn's place)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


PORT = int(os.environ.get("LOADTEST_PORT") or free_port())
BASE_URL = f"http://127.0.0.1:{PORT}"


def log(message: str) -> None:
    print(f"[loadtest] {message}", file=sys.stderr, flush=True)


def environment() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.load",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": DATABASE_URL,
        # Persistent connections, as in production behind gunicorn.
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": BROKER_URL,
        # The cache every gunicorn worker shares, as production requires.
        "SANGSAENG_CACHE_URL": CACHE_URL,
        "SANGSAENG_VAR_DIR": str(WORK / "var"),
        "SANGSAENG_LOAD_REQUEST_LOG": str(REQUEST_LOG),
        "DJANGO_STATIC_ROOT": str(WORK / "static"),
    }


def fresh_database() -> None:
    import psycopg

    parts = urlsplit(DATABASE_URL)
    name = parts.path.lstrip("/")
    if not name.startswith("sangsaeng_load"):
        raise SystemExit(
            f"refusing to drop {name!r}: the load test only drops sangsaeng_load*"
        )
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str, env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start(name: str, command: list[str], env: dict) -> subprocess.Popen:
    with open(WORK / f"{name}.log", "w") as output:  # the child keeps its own copy
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_until_up(process: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped; see {WORK / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(f"{BASE_URL}/healthz/", timeout=20) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz/ in time")


def warm_up(plan: dict) -> None:
    """A server that has been up since the morning: each gunicorn worker has
    compiled its templates, imported what a workbook needs and opened its
    database connection. Not measured."""
    officer = next(o for o in plan["officers"] if o["session"] and o["uploads"])
    slot = officer["uploads"][0]
    paths = [
        plan["urls"]["proposal_edit"].replace("/0/", f"/{officer['proposal_id']}/"),
        f"{plan['urls']['proposals']}?call={plan['call_id']}",
        plan["urls"]["upload"]
        .replace("/0/", f"/{slot['project_id']}/")
        .replace("2019-10", slot["month"]),
        plan["urls"]["report"].replace("/0/", f"/{slot['report_id']}/"),
        plan["urls"]["template"]
        .replace("/0/", f"/{slot['project_id']}/")
        .replace("2019-10", slot["month"]),
        plan["urls"]["home"],
        plan["urls"]["login"],
    ]
    cookie = f"{plan['session_cookie']}={officer['session']}"
    for _round in range(2 * WEB_WORKERS):
        for path in paths:
            request = urllib.request.Request(
                f"{BASE_URL}{path}", headers={"Cookie": cookie}
            )
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()


def aggregated(stats_csv: Path) -> dict:
    with open(stats_csv, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return next(row for row in rows if row["Name"] == "Aggregated"), rows


def busy_loops(count: int) -> list[subprocess.Popen]:
    return [
        subprocess.Popen([sys.executable, "-c", "while True: pass"])
        for _ in range(count)
    ]


def main() -> int:
    busy = busy_loops(BUSY)
    try:
        return run()
    finally:
        for process in busy:
            process.kill()
            process.wait()


def run() -> int:
    machine = list(describe())  # before anything of the test starts
    machine.append(("machine_loop_cpu_ms", loop_cpu_ms()))
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "var").mkdir(parents=True)
    env = environment()
    os.environ.update(env)

    log("fresh database, demo and load-test people")
    fresh_database()
    import redis

    # A fresh broker and a fresh cache: nothing kept from the last run (a
    # sidebar or a figure kept under the same key) makes this one cheaper.
    for url in (BROKER_URL, CACHE_URL):
        redis.Redis.from_url(url).flushdb()
    manage("migrate", "--noinput", "-v0", env=env)
    manage("seed_demo", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per session made
    from bench.loadtest.setup import count_lost, prepare

    plan = prepare(base_url=BASE_URL)
    plan_file, ledger_file = WORK / "plan.json", WORK / "ledger.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

    bin_dir = Path(sys.executable).parent
    web = worker = None
    try:
        log(f"gunicorn ({WEB_WORKERS} workers) and a Celery worker on 127.0.0.1")
        web = start(
            "gunicorn",
            [
                str(bin_dir / "gunicorn"),
                "config.wsgi",
                "-c",
                "python:config.gunicorn",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(WEB_WORKERS),
                "--timeout",
                "60",
                "--preload",
                "--access-logfile",
                "-",
            ],
            env,
        )
        worker = start(
            "worker",
            [
                str(bin_dir / "celery"),
                "-A",
                "config",
                "worker",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            env,
        )
        wait_until_up(web)
        warm_up(plan)
        users = len(plan["officers"]) + len(plan["city_managers"])
        log(f"the rush: {users} users, {SECONDS} s, at most {MAX_REQUESTS} requests")
        with open(WORK / "locust.log", "w") as locust_log:
            subprocess.run(
                [
                    str(bin_dir / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--host",
                    BASE_URL,
                    "--users",
                    str(users),
                    "--spawn-rate",
                    "50",
                    "--run-time",
                    f"{SECONDS}s",
                    "--stop-timeout",
                    "60",
                    "--csv",
                    str(WORK / "locust"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                timeout=SECONDS + 180,
                check=True,
                env={
                    **env,
                    "SANGSAENG_LOADTEST_PLAN": str(plan_file),
                    "SANGSAENG_LOADTEST_LEDGER": str(ledger_file),
                    "SANGSAENG_LOADTEST_MAX_REQUESTS": str(MAX_REQUESTS),
                },
                stdout=locust_log,
                stderr=subprocess.STDOUT,
            )
    finally:
        for process in (web, worker):
            if process is not None:
                stop(process)

    total, rows = aggregated(WORK / "locust_stats.csv")
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    ledger = json.loads(ledger_file.read_text(encoding="utf-8"))
    from django.db import connection

    connection.close()  # the server wrote since this process last looked
    counted = count_lost(ledger)
    for row in rows:
        if row["Name"] != "Aggregated":
            log(
                f"{row['Name']}: {row['Request Count']} requests, {row['Failure Count']} failed, "
                f"p50 {row['50%']} ms, p95 {row['95%']} ms"
            )
    log(f"acknowledged writes: {counted['acknowledged']}; lost: {counted['lost']}")
    for metric, value in machine:
        print(f"{metric}: {value}")
    print(f"p50_ms: {total['50%']}")
    print(f"p95_ms: {total['95%']}")
    print(f"error_rate: {failures / requests if requests else 1.0:.4f}")
    print(f"lost: {sum(counted['lost'].values())}")
    loop_ms = dict(machine)["machine_loop_cpu_ms"]
    for line in report(cost_by_step(read_lines(REQUEST_LOG), loop_ms)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
