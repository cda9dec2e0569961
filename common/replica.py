"""Public reads from a PostgreSQL streaming replica (issue 26, scale-out).

The open-data API, the dataset pages and the public outcomes pages are read by
anyone, often by machines, and never write. With ``DATABASE_REPLICA_URL`` set
(docs/deploy.md, "Read replica") they may read from a streaming replica so the
heavy roll-ups leave the primary alone. Everything else, and everyone signed
in, stays on ``default``.

Two rules keep the figures honest:

- **One database per request.** A public answer claims a data stamp
  (``PublicDataStamp``: the ETag, ``Last-Modified``, the DCAT ``modified``).
  The scope is chosen once, before the stamp is read, so the stamp and the
  figures come from the same place: a replica a little behind shows its older
  stamp with its older figures. The stamp is read first and replay only moves
  forward, so the figures are never older than the stamp they are shown under.
- **Bounded lag.** Before a request uses the replica its replay lag is probed
  (at most once per ``SANGSAENG_REPLICA_PROBE_S``); more than
  ``SANGSAENG_REPLICA_MAX_LAG_S`` seconds behind, or unreachable, and the
  request reads from ``default``. The switch is logged once each way.

``config.db_router.PublicReadRouter`` routes by :func:`reading_alias`.
"""

import logging
import threading
import time
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)

REPLICA = "replica"

logger = logging.getLogger(__name__)

# The alias the current request reads from; None outside a public read scope.
_reading_from: ContextVar[str | None] = ContextVar("reading_from", default=None)

# How far replay is behind, in seconds. Caught up (everything received has been
# replayed) is 0, whatever the age of the last transaction: an idle primary
# leaves an old replay timestamp on a replica that is fully current.
LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() IS NOT NULL
   AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(
    EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()),
    1e9)
END
"""


class _Probe:
    """The last verdict on the replica, shared by the process's threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.usable: bool | None = None
        self.lag_seconds: float | None = None

    def forget(self) -> None:
        with self.lock:
            self.checked_at = float("-inf")
            self.usable = None
            self.lag_seconds = None


_probe = _Probe()


def reading_alias() -> str | None:
    """The alias public reads go to in this request, None outside the scope."""
    return _reading_from.get()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def replica_lag_seconds(alias: str = REPLICA) -> float:
    """Seconds the replica's replay is behind the primary; raises
    ``DatabaseError`` when it cannot be reached. A database that is not
    PostgreSQL (the test suite's stand-in) is never behind."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def _record(usable: bool, reason: str, lag: float | None) -> None:
    """Keep the verdict; log only when it changes (once each way)."""
    with _probe.lock:
        changed = _probe.usable is not usable
        _probe.usable = usable
        _probe.lag_seconds = lag
        _probe.checked_at = time.monotonic()
    if changed and not usable:
        logger.warning("Public reads fall back to the primary: %s", reason)
    elif changed and usable:
        logger.info("Public reads use the replica (lag %.3f s)", lag or 0.0)


def _close_quietly(alias: str) -> None:
    with suppress(DatabaseError):
        connections[alias].close()


def replica_usable() -> bool:
    """Whether public reads may use the replica now: configured, reachable and
    no more than ``SANGSAENG_REPLICA_MAX_LAG_S`` behind. Probed at most once
    per ``SANGSAENG_REPLICA_PROBE_S`` seconds per process."""
    if not replica_configured():
        return False
    if time.monotonic() - _probe.checked_at < settings.SANGSAENG_REPLICA_PROBE_S:
        return bool(_probe.usable)
    limit = settings.SANGSAENG_REPLICA_MAX_LAG_S
    try:
        lag = replica_lag_seconds()
    except DatabaseError as error:
        _close_quietly(REPLICA)
        _record(False, f"the replica is unreachable ({error})", None)
        return False
    if lag > limit:
        _record(False, f"the replica is {lag:.1f} s behind (limit {limit} s)", lag)
        return False
    _record(True, "", lag)
    return True


def replica_down(error: Exception) -> None:
    """A query on the replica failed mid-request: stop using it until the next
    probe says otherwise."""
    _close_quietly(REPLICA)
    _record(False, f"the replica failed mid-request ({error})", None)


@contextmanager
def public_reads():
    """Read from the replica inside the block when it is usable, else from
    ``default``; yields the alias chosen. Nested blocks keep the outer choice,
    so one request never mixes the two."""
    chosen = _reading_from.get()
    if chosen is not None:
        yield chosen
        return
    alias = REPLICA if replica_usable() else DEFAULT_DB_ALIAS
    token = _reading_from.set(alias)
    try:
        yield alias
    finally:
        _reading_from.reset(token)


def _signed_in(request) -> bool:
    """Whether the request comes from someone signed in (read on default,
    before the scope): they always read the primary, so what they just saved
    is what they see."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def public_read(view):
    """Run a read-only public view inside :func:`public_reads` (GET/HEAD from
    someone not signed in). Apply it outside ``public_cache`` so the data stamp
    is read in the same scope as the figures. The alias used is left on
    ``request.read_from``. Should the replica fail mid-request, the view runs
    again on ``default``: it only reads, so running it twice is harmless."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _signed_in(request):
            request.read_from = DEFAULT_DB_ALIAS
            return view(request, *args, **kwargs)
        with public_reads() as alias:
            request.read_from = alias
            try:
                return view(request, *args, **kwargs)
            except (OperationalError, InterfaceError) as error:
                if alias != REPLICA:
                    raise
                replica_down(error)
        token = _reading_from.set(DEFAULT_DB_ALIAS)
        try:
            request.read_from = DEFAULT_DB_ALIAS
            return view(request, *args, **kwargs)
        finally:
            _reading_from.reset(token)

    return wrapped
