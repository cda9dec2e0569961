"""Celery beat exactly once: two schedulers started, one sends; when it goes,
the other takes over (common/beat_lock.py)."""

import subprocess
import sys
import time
import uuid
from datetime import timedelta

import pytest
from celery.schedules import schedule

from common.beat_lock import FileBeatLock, LockedScheduler, RedisBeatLock, beat_lock_for
from config.celery import app


def _redis_url():
    """The local Redis (CI and the scale test run one), or skip."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return url


class Counting(LockedScheduler):
    """A scheduler that records what it would send instead of sending it."""

    def __init__(self, *args, **kwargs):
        self.sent = []
        super().__init__(*args, **kwargs)

    def apply_entry(self, entry, producer=None):
        self.sent.append(entry.name)


def _scheduler(tmp_path, name, lock):
    return Counting(
        app,
        lock=lock,
        schedule_filename=str(tmp_path / f"{name}-schedule"),
        lazy=False,
    )


@pytest.fixture
def every_second(settings):
    """One entry due every second, instead of the real beat schedule."""
    original = app.conf.beat_schedule
    app.conf.beat_schedule = {
        "tick": {"task": "common.tasks.fail_stale_jobs", "schedule": schedule(1.0)}
    }
    yield
    app.conf.beat_schedule = original


def _run(scheduler, seconds=1.2):
    """Tick as beat's loop does for a little while, without its sleeps."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        scheduler.tick()
        time.sleep(0.05)


def _two_schedulers_one_sends(tmp_path, first_lock, second_lock):
    first = _scheduler(tmp_path, "first", first_lock)
    second = _scheduler(tmp_path, "second", second_lock)
    _run(first)
    _run(second)
    _run(first)
    assert first.holding and not second.holding
    assert first.sent, "the scheduler holding the lock sends"
    assert second.sent == [], "the one in standby sends nothing"

    # The first goes (stopped, or its lock expired): the second takes over.
    first.close()
    _run(second, seconds=1.5)
    assert second.holding
    assert second.sent
    return first, second


def test_with_a_file_lock_only_one_of_two_schedulers_sends(tmp_path, every_second):
    path = tmp_path / "celerybeat.lock"
    _, second = _two_schedulers_one_sends(
        tmp_path, FileBeatLock(path), FileBeatLock(path)
    )
    second.close()


def test_with_a_redis_lock_only_one_of_two_schedulers_sends(tmp_path, every_second):
    url = _redis_url()
    name = f"test-beat-{uuid.uuid4().hex}"
    _, second = _two_schedulers_one_sends(
        tmp_path,
        RedisBeatLock(url, seconds=30, name=name),
        RedisBeatLock(url, seconds=30, name=name),
    )
    second.close()


def test_a_dead_holders_redis_lock_expires_and_the_standby_takes_over(
    tmp_path, every_second
):
    """SIGKILL releases nothing: the lock's expiry does."""
    url = _redis_url()
    name = f"test-beat-{uuid.uuid4().hex}"
    dead = RedisBeatLock(url, seconds=1, name=name)
    assert dead.hold()
    standby = _scheduler(tmp_path, "standby", RedisBeatLock(url, seconds=1, name=name))
    _run(standby, seconds=0.3)
    assert standby.sent == []
    time.sleep(1.1)  # the dead holder renews nothing
    _run(standby, seconds=1.5)
    assert standby.holding and standby.sent
    assert not dead.hold(), "the old holder, back, finds the lock taken"
    standby.close()


def test_a_file_lock_is_let_go_when_its_process_dies(tmp_path):
    path = tmp_path / "celerybeat.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a+');"
            "fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    lock = FileBeatLock(path)
    assert not lock.hold()
    holder.kill()
    holder.wait()
    assert lock.hold()
    lock.release()


def test_on_taking_over_what_fell_due_during_standby_is_not_sent_again(
    tmp_path, every_second
):
    """The other scheduler sent it (or died with it): never twice."""
    path = tmp_path / "celerybeat.lock"
    holder = FileBeatLock(path)
    assert holder.hold()
    app.conf.beat_schedule = {
        "hourly": {
            "task": "common.tasks.fail_stale_jobs",
            "schedule": schedule(timedelta(hours=1)),
        }
    }
    standby = _scheduler(tmp_path, "standby", FileBeatLock(path))
    standby.tick()
    # Standing by for longer than the entry's period.
    for entry in standby.schedule.values():
        entry.last_run_at = standby.app.now() - timedelta(hours=2)
    holder.release()
    _run(standby, seconds=0.3)
    assert standby.holding
    assert standby.sent == []
    standby.close()


def test_beat_uses_the_locked_scheduler_and_the_brokers_redis():
    assert app.conf.beat_scheduler == "common.beat_lock:LockedScheduler"
    assert isinstance(beat_lock_for("redis://127.0.0.1:6379/0", "/tmp"), RedisBeatLock)
    assert isinstance(beat_lock_for("filesystem://", "/tmp"), FileBeatLock)
