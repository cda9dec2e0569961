"""Celery beat exactly once, however many are started.

Every node of a two-node deployment runs the same service set, ``celery beat``
included, so that losing a node loses nothing. Two schedulers sending the same
reminders would mail every district twice (알림 두 번), so beat holds a lock:
the scheduler holding it sends; any other waits in standby and takes over when
the holder dies (its lock expires) or stops (it lets the lock go).

The lock lives where every node can see it:

* Redis (production: the broker, ``CELERY_BROKER_URL=redis://…``): ``SET NX PX``
  with a token, renewed well before it expires (redis-py's ``Lock``);
* the demo's filesystem broker has no Redis, and only one machine: an
  ``flock`` on a file in VAR_DIR, which the kernel lets go when the process dies.

Configured in config/celery.py (``beat_scheduler``).
"""

import fcntl
import logging
import os
import socket
from pathlib import Path

from celery.beat import PersistentScheduler

logger = logging.getLogger(__name__)

LOCK_NAME = "sangsaeng:celery-beat"
# A dead holder is replaced within this many seconds; the holder renews three
# times within it, so one slow tick does not lose the lock.
LOCK_SECONDS = int(os.environ.get("SANGSAENG_BEAT_LOCK_SECONDS", "30"))


class RedisBeatLock:
    """The lock as a Redis key with a token and an expiry (SET NX PX)."""

    def __init__(self, url: str, *, seconds: int = LOCK_SECONDS, name=LOCK_NAME):
        import redis

        self.client = redis.Redis.from_url(url)
        self._lock = self.client.lock(name, timeout=seconds, thread_local=False)
        self.name = name

    def hold(self) -> bool:
        """True when this scheduler holds the lock now (taken or renewed).
        Redis out of reach: not held (no one sends rather than two)."""
        import redis.exceptions

        try:
            if self._lock.local.token is not None:
                try:
                    self._lock.reacquire()
                    return True
                except redis.exceptions.LockError:
                    # Expired (a long pause), maybe taken by another: ask afresh.
                    self._lock.local.token = None
            return self._lock.acquire(blocking=False)
        except redis.exceptions.ConnectionError:
            logger.warning("beat lock: Redis out of reach; standing by")
            return False

    def release(self) -> None:
        import redis.exceptions

        if self._lock.local.token is None:
            return
        try:
            self._lock.release()
        except (redis.exceptions.LockError, redis.exceptions.ConnectionError):
            self._lock.local.token = None


class FileBeatLock:
    """The lock as an ``flock`` on a file: one machine only (the demo)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._file = None

    def hold(self) -> bool:
        if self._file is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 (held open while holding)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{socket.gethostname()} {os.getpid()}\n")
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def beat_lock_for(broker_url: str, var_dir: Path):
    """The lock every beat of this deployment can see: the broker's Redis, or
    (filesystem broker) a file beside the broker's folders."""
    if broker_url.startswith(("redis://", "rediss://")):
        return RedisBeatLock(broker_url)
    return FileBeatLock(Path(var_dir) / "celerybeat.lock")


class LockedScheduler(PersistentScheduler):
    """Celery's own scheduler, ticking only while it holds the beat lock.

    In standby it asks again every ``standby_seconds``. On taking over from
    another scheduler it starts the entries' clocks afresh: what fell due while
    it stood by was the other's to send (and was sent, or is lost with it —
    never sent twice)."""

    def __init__(self, *args, lock=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lock = lock
        if self.lock is None:
            from django.conf import settings

            self.lock = beat_lock_for(self.app.conf.broker_url or "", settings.VAR_DIR)
        self.holding = False
        self.stood_by = False
        self.renew_seconds = max(1, LOCK_SECONDS // 3)
        self.standby_seconds = max(1, LOCK_SECONDS // 3)

    def tick(self, *args, **kwargs):
        if not self.lock.hold():
            if self.holding:
                logger.warning("beat lock lost: this scheduler stands by")
            elif not self.stood_by:
                logger.info("beat lock held elsewhere: this scheduler stands by")
            self.holding, self.stood_by = False, True
            return self.standby_seconds
        if not self.holding:
            logger.info("beat lock taken: this scheduler sends")
            if self.stood_by:
                self._start_clocks_afresh()
            self.holding = True
        return min(super().tick(*args, **kwargs), self.renew_seconds)

    def _start_clocks_afresh(self) -> None:
        now = self.app.now()
        for entry in self.schedule.values():
            entry.last_run_at = now
        self._heap = None  # rebuilt from the entries at the next tick

    def close(self):
        try:
            super().close()
        finally:
            self.lock.release()
            self.holding = False
