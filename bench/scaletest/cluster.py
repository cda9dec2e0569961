"""The nodes of the scale test: two gunicorn web nodes (each with a Celery beat,
as every node of a real deployment runs the same services) and one Celery
worker node, on 127.0.0.1.

Each node has folders of its own (VAR, media, broker files, beat schedule) that
no other node sees; they share only what a real deployment shares: PostgreSQL,
Redis (broker and cache) and the configured storage — a shared folder standing
in for a NAS mount (filesystem flavour) or a local S3-compatible server (s3).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "SCALETEST_DATABASE_URL",
    "postgres://sangsaeng:sangsaeng@127.0.0.1:5432/sangsaeng_scale",
)
REDIS = os.environ.get("SCALETEST_REDIS", "redis://127.0.0.1:6379")
BROKER_URL = f"{REDIS}/13"
CACHE_URL = f"{REDIS}/14"
# Short, so the standby beat's take-over is seen within the run.
BEAT_LOCK_SECONDS = 6
S3_BUCKET = "sangsaeng-scaletest"


def free_port() -> int:
    """A port no one listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_environment(
    *, flavour: str, work: Path, secret_key: str, s3_endpoint: str = ""
) -> dict:
    """What every node is given alike: the database, the broker, the cache, the
    storage and the secret key (a token signed on one node is read on another)."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.scale",
        "DJANGO_SECRET_KEY": secret_key,
        "DATABASE_URL": DATABASE_URL,
        "DATABASE_CONN_MAX_AGE": "60",
        "CELERY_BROKER_URL": BROKER_URL,
        "SANGSAENG_CACHE_URL": CACHE_URL,
        "SANGSAENG_STORAGE": flavour,
        "SANGSAENG_BEAT_LOCK_SECONDS": str(BEAT_LOCK_SECONDS),
        "DJANGO_STATIC_ROOT": str(work / "static"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if flavour == "filesystem":
        env["DJANGO_PRIVATE_ROOT"] = str(work / "nas" / "private")
    else:
        env.update(
            {
                "SANGSAENG_S3_BUCKET": S3_BUCKET,
                "SANGSAENG_S3_ENDPOINT_URL": s3_endpoint,
                "SANGSAENG_S3_REGION": "ap-northeast-2",
                "AWS_ACCESS_KEY_ID": "scaletest",
                "AWS_SECRET_ACCESS_KEY": "scaletest",
            }
        )
    return env


def node_environment(shared: dict, *, work: Path, name: str) -> dict:
    """A node's own folders on top of what all share: nothing written here is
    visible to another node."""
    own = work / name
    env = {
        **shared,
        "SANGSAENG_VAR_DIR": str(own / "var"),
        "DJANGO_MEDIA_ROOT": str(own / "media"),
    }
    if shared["SANGSAENG_STORAGE"] != "filesystem":
        # No shared folder at all: a file not in the object store is lost.
        env["DJANGO_PRIVATE_ROOT"] = str(own / "private")
    return env


# The process groups this run started, one a line: a run killed before it
# could stop its nodes leaves them running (they are sessions of their own),
# and the next run stops them first, by these ids, before anything else.
PID_FILE = ROOT / "var" / "scale" / "nodes.pids"


def _ours(pid: int) -> bool:
    """Is this still a node a scale run started (not a reused id)?"""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        here = Path(f"/proc/{pid}/cwd").resolve()
    except OSError:
        return False
    return here == ROOT and any(part in {b"config", b"config.wsgi"} for part in command)


def stop_leftover_nodes() -> list[int]:
    """SIGKILL the process groups a killed earlier run left behind."""
    stopped = []
    if PID_FILE.exists():
        for line in PID_FILE.read_text().split():
            pid = int(line)
            if _ours(pid):
                os.killpg(pid, signal.SIGKILL)
                stopped.append(pid)
        PID_FILE.unlink()
    return stopped


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict
    log_path: Path
    popen: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "w") as output:  # the child keeps its own copy
            self.popen = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        PID_FILE.parent.mkdir(parents=True, exist_ok=True)
        with open(PID_FILE, "a") as pids:
            pids.write(f"{self.popen.pid}\n")

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def kill(self) -> None:
        """SIGKILL to the whole process group: a power cut, not a shutdown."""
        if self.running():
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self) -> None:
        if not self.running():
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        )


@dataclass
class WebNode:
    name: str
    env: dict
    work: Path
    port: int = field(default_factory=free_port)
    web: Process | None = None
    beat: Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        logs = self.work / "logs"
        self.web = Process(
            f"{self.name}-web",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "-c",
                "python:config.gunicorn",
                "--preload",  # as docs/deploy.md runs it
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--timeout",
                "90",
                "--access-logfile",
                "-",
            ],
            self.env,
            logs / f"{self.name}-web.log",
        )
        self.beat = Process(
            f"{self.name}-beat",
            [str(BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO"],
            {**self.env, "DJANGO_LOG_LEVEL": "INFO"},
            logs / f"{self.name}-beat.log",
        )
        self.web.start()

    def start_beat(self) -> None:
        self.beat.start()

    def wait_until_up(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.web.running():
                raise RuntimeError(f"{self.name} stopped; see {self.web.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz/", timeout=10) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer /healthz/ in time")

    def kill(self) -> None:
        for process in (self.web, self.beat):
            if process is not None:
                process.kill()

    def stop(self) -> None:
        for process in (self.web, self.beat):
            if process is not None:
                process.stop()


def worker_process(env: dict, work: Path) -> Process:
    return Process(
        "worker",
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        env,
        work / "logs" / "worker.log",
    )


def manage(*args: str, env: dict, work: Path) -> None:
    log_path = work / "logs" / f"manage-{args[0]}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as output:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
