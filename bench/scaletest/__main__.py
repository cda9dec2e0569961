"""`make scaletest`: two web nodes and a worker node that share only PostgreSQL,
Redis and the configured storage; nothing may depend on which node a request
lands on. See bench/scaletest/__init__.py for what is checked and
docs/deploy.md ("Two nodes") for the layout it stands for.

    python -m bench.scaletest                   both flavours, one after the other
    python -m bench.scaletest --flavour s3      one flavour

Each flavour runs in a process of its own (Django's settings are read once per
process). Prints ``name: value`` lines and exits non-zero on any failure.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.scaletest import cluster, scenarios

FLAVOURS = ("filesystem", "s3")
WORK = cluster.ROOT / "var" / "scale"


def log(message: str) -> None:
    print(f"[scaletest] {message}", file=sys.stderr, flush=True)


TEMPLATE_DATABASE = "sangsaeng_scale_template"


def _admin_url() -> str:
    return urlsplit(cluster.DATABASE_URL)._replace(path="/postgres").geturl()


def demo_fingerprint() -> str:
    """What the demo database is made from: every migration, the demo code
    and the requirements. A template made from the same is the same database
    that migrate + seed_demo would make now."""
    import hashlib

    digest = hashlib.sha256()
    root = cluster.ROOT
    paths = sorted(
        [
            *root.glob("*/migrations/*.py"),
            *root.glob("*/*/migrations/*.py"),
            *root.glob("*/demo.py"),
            *root.glob("*/*/demo.py"),
            *root.glob("*/management/commands/seed_demo.py"),
            root / "requirements.txt",
        ]
    )
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def demo_template(env: dict, work: Path) -> None:
    """The demo as migrate + seed_demo make it, kept as a template database
    named after what it was made from (made again when any of it changed, or
    with SCALETEST_FRESH=1): each flavour starts from a copy of it."""
    import psycopg

    fingerprint = demo_fingerprint()
    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
            " WHERE datname = %s",
            [TEMPLATE_DATABASE],
        ).fetchone()
        if row and row[0] == fingerprint and not os.environ.get("SCALETEST_FRESH"):
            log("demo database: the template made from the same code")
            return
        connection.execute(
            f'DROP DATABASE IF EXISTS "{TEMPLATE_DATABASE}" WITH (FORCE)'
        )
        connection.execute(f'CREATE DATABASE "{TEMPLATE_DATABASE}"')
    log("demo database: migrate + seed_demo (kept as a template for next time)")
    parts = urlsplit(cluster.DATABASE_URL)
    template_url = parts._replace(path=f"/{TEMPLATE_DATABASE}").geturl()
    made = {**env, "DATABASE_URL": template_url}
    cluster.manage("migrate", "--noinput", "-v0", env=made, work=work)
    cluster.manage("seed_demo", env=made, work=work)
    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        connection.execute(
            f"COMMENT ON DATABASE \"{TEMPLATE_DATABASE}\" IS '{fingerprint}'"
        )


def fresh_database() -> None:
    """The demo database, copied from the template."""
    import psycopg

    name = urlsplit(cluster.DATABASE_URL).path.lstrip("/")
    if not name.startswith("sangsaeng_scale"):
        raise SystemExit(f"refusing to drop {name!r}: only sangsaeng_scale* is dropped")
    with psycopg.connect(_admin_url(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DATABASE}"')


def flush_redis() -> None:
    import redis

    for url in (cluster.BROKER_URL, cluster.CACHE_URL):
        redis.Redis.from_url(url).flushdb()


def start_s3() -> tuple[object, str]:
    """A local S3-compatible server (moto) with the bucket made: it stands in
    for a Korean public cloud's object storage."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request

    port = cluster.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="ap-northeast-2",
        aws_access_key_id="scaletest",
        aws_secret_access_key="scaletest",
    ).create_bucket(
        Bucket=cluster.S3_BUCKET,
        CreateBucketConfiguration={"LocationConstraint": "ap-northeast-2"},
    )
    return server, endpoint


def prepare_people() -> dict:
    """On the fresh demo: the month each officer uploads (October 2019, a draft
    copied from September as an officer starting the month would) and a draft
    proposal to the open call, both of 부평구 (the demo's officer `bupyeong`)."""
    from django.contrib.auth import get_user_model

    from bench.loadtest.setup import _draft, _open_call, _open_month_drafts

    officer = get_user_model().objects.get(username="bupyeong")
    slot = next(
        s
        for s in _open_month_drafts()
        if s["district"] == officer.organisation.code and s["month"] == "2019-10"
    )
    proposal = _draft(_open_call(), officer, 1)
    return {"slot": slot, "proposal_id": proposal.pk}


def proposal_rows(proposal_id: int):
    """How many rows the draft has (groups, outputs, budget lines): a save cut
    off half-way would leave some of them missing or doubled."""
    from competitions.models import Proposal

    def count() -> tuple:
        proposal = Proposal.objects.get(pk=proposal_id)
        return (
            proposal.target_groups.count(),
            proposal.outputs.count(),
            proposal.budget_lines.count(),
        )

    return count


def beat_holders(nodes) -> list[str]:
    return [n.name for n in nodes if "beat lock taken" in n.beat.log()]


def beat_once(a, b) -> None:
    """A's beat sends; B's, started after it, stands by."""
    holders = beat_holders((a, b))
    scenarios.expect(holders == ["A"], f"sending beats: {holders or 'none'}")
    scenarios.expect("stands by" in b.beat.log(), "B's beat does not stand by")


def wait_for_beat(node, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not beat_holders((node,)):
        time.sleep(0.3)


class Results:
    def __init__(self):
        self.lines: list[tuple[str, str]] = []
        self.failed = False

    def run(self, name: str, step, *args, **kwargs):
        """One scenario: ``ok`` (or what it returned), or ``failed: why``."""
        started = time.monotonic()
        try:
            value = step(*args, **kwargs)
        except Exception as error:  # noqa: BLE001 (reported, and the run fails)
            self.failed = True
            reason = str(error).replace("\n", " ")[:300]
            self.add(name, f"failed: {type(error).__name__}: {reason}")
            return None
        self.add(name, "ok" if value is None else f"ok ({value})")
        log(f"{name}: {time.monotonic() - started:.1f} s")
        return value

    def add(self, name: str, value) -> None:
        self.lines.append((name, str(value)))
        print(f"{name}: {value}", flush=True)


def _stop_on_sigterm(signum, frame):
    """A run stopped from outside (CI's time limit) still stops its nodes."""
    raise SystemExit(128 + signum)


def run_flavour(flavour: str) -> int:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if stopped := cluster.stop_leftover_nodes():
        log(f"stopped nodes a killed earlier run left behind: {stopped}")
    work = WORK / flavour
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results = Results()
    results.add("scale_flavour", flavour)

    s3_server, s3_endpoint = (None, "")
    if flavour == "s3":
        s3_server, s3_endpoint = start_s3()
    shared = cluster.shared_environment(
        flavour=flavour,
        work=work,
        secret_key=secrets.token_urlsafe(64),
        s3_endpoint=s3_endpoint,
    )
    driver_env = cluster.node_environment(shared, work=work, name="driver")
    os.environ.update(driver_env)

    demo_template(driver_env, work)
    log(f"{flavour}: a fresh copy of the demo database")
    fresh_database()
    flush_redis()

    import django

    django.setup()
    from accounts.demo import DEMO_PASSWORD, demo_totp_code

    a = cluster.WebNode(
        "A", cluster.node_environment(shared, work=work, name="a"), work
    )
    b = cluster.WebNode(
        "B", cluster.node_environment(shared, work=work, name="b"), work
    )
    worker = cluster.worker_process(
        cluster.node_environment(shared, work=work, name="worker"), work
    )
    try:
        log(f"{flavour}: node A :{a.port}, node B :{b.port}, a worker node")
        worker.start()
        a.start()
        a.start_beat()
        b.start()
        plan = prepare_people()  # while the nodes start
        wait_for_beat(a)  # A's beat sends, so its death shows a take-over
        b.start_beat()
        a.wait_until_up()
        b.wait_until_up()
        officer = scenarios.Person("bupyeong")
        manager = scenarios.Person("city")

        def sign_in_cross_node():
            officer.sign_in(a, DEMO_PASSWORD)
            manager.sign_in(b, DEMO_PASSWORD, code=lambda: demo_totp_code("city"))
            for person in (officer, manager):  # the session made on one, on both
                for node in (a, b):
                    page = person.get(node, "/admin/")
                    scenarios.expect(
                        page.status_code == 200 and "/login/" not in page.url,
                        f"{person.username} not signed in on {node.name}",
                    )

        results.run("scale_sign_in_cross_node", sign_in_cross_node)
        slot = plan["slot"]
        results.run(
            "scale_preview_cross_node",
            scenarios.preview_on_a_confirm_on_b,
            officer,
            a,
            b,
            slot=slot,
            narrative=f"{flavour}: A에서 미리보기, B에서 확정 / previewed on A",
        )
        results.run(
            "scale_cache_cross_node",
            scenarios.accepted_on_a_seen_on_both,
            officer,
            manager,
            a,
            b,
            slot=slot,
        )
        for kind in ("xlsx", "pdf"):
            results.run(
                f"scale_job_{kind}_cross_node",
                scenarios.job_started_on_b_downloaded_from_a,
                manager,
                a,
                b,
                kind=kind,
            )
        results.run("scale_beat_once", beat_once, a, b)
        results.run(
            "scale_kill_mid_request",
            scenarios.killed_mid_request,
            officer,
            a,
            b,
            proposal_id=plan["proposal_id"],
            rows=proposal_rows(plan["proposal_id"]),
        )

        def beat_takeover():
            deadline = time.monotonic() + 3 * cluster.BEAT_LOCK_SECONDS + 5
            while time.monotonic() < deadline:
                if "B" in beat_holders((b,)):
                    return None
                time.sleep(0.5)
            raise scenarios.Failed("B's beat did not take over from the killed A")

        results.run("scale_beat_takeover", beat_takeover)
    finally:
        for process in (a, b, worker):
            process.stop()
        if s3_server is not None:
            s3_server.stop()
    results.add("scale_seconds", f"{time.monotonic() - started:.0f}")
    if results.failed:
        log(f"{flavour}: failed; logs in {work / 'logs'}")
    return 1 if results.failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaletest")
    parser.add_argument("--flavour", choices=FLAVOURS)
    options = parser.parse_args()
    if options.flavour:
        return run_flavour(options.flavour)
    failed = []
    for flavour in FLAVOURS:
        done = subprocess.run(
            [sys.executable, "-m", "bench.scaletest", "--flavour", flavour],
            cwd=cluster.ROOT,
        )
        if done.returncode:
            failed.append(flavour)
    print(f"scaletest: {'failed (' + ', '.join(failed) + ')' if failed else 'ok'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
