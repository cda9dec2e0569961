"""Running a parser in a child process with memory and time limits.

A spreadsheet parser is native code working on what a stranger sent: a bug or
a crafted file can make it allocate gigabytes, and Rust aborts the whole
process when an allocation fails, which no ``try`` catches. So the parse runs
in a forked child whose address space (``RLIMIT_AS``) and CPU time
(``RLIMIT_CPU``) are capped, with a wall-clock deadline kept by the parent.
The worst a file can do is kill its own child: the caller gets ``Isolated``
failures it turns into a refusal, and the web or Celery process lives on.

Forking is cheap (the child shares the parent's pages copy-on-write and needs
no imports); the result comes back pickled through a pipe, so callers return
compact plain data.

The Celery worker keeps the child too, though the bulk import could parse in
the worker once ``bounds`` has measured the file. The bounds prove the size of
the cell rectangle only: not the shared strings, the styles, the length of a
text, or how long the parser takes over odd XML, and not that the parser has
no bug a file can reach. A worker that dies is not the end of it: tasks are
acknowledged late and re-queued when their worker is lost, so a file that
kills its worker would kill the next one as well, over and over. What the
child costs is a fork and the pickle of what it returns, so the bulk import
makes its rows in the child (``reader.read_sheets_into``) and only they cross.
"""

import contextlib
import faulthandler
import gc
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any


class IsolatedFailure(Exception):
    """The child did not return: ``reason`` is "memory", "time" or "crash"."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def _virtual_size() -> int:
    """This process's current address-space size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _child(
    write_end: int,
    function: Callable,
    args: tuple,
    kwargs: dict,
    memory_bytes: int,
    cpu_seconds: int,
) -> None:
    code = 0
    try:
        # The child starts with the parent's mappings: the cap is on what it adds.
        limit = _virtual_size() + memory_bytes
        # A child that dies of its limits leaves no core file and no traceback
        # dump behind (the parent reports the failure).
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        faulthandler.disable()
        # The cycle collector would walk every object inherited from the parent,
        # copying each page it touches: seconds, in a big worker. The child is
        # short-lived and capped; nothing needs collecting.
        gc.disable()
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        try:
            outcome = ("ok", function(*args, **kwargs))
        except MemoryError:
            outcome = ("memory", None)
        except BaseException as error:  # noqa: BLE001 - handed to the parent as is
            outcome = ("raised", error)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except Exception as error:  # noqa: BLE001 - an unpicklable result is a bug to report
            payload = pickle.dumps(("crash", repr(error)))
        # Length first: the parent returns as soon as it has the whole result,
        # without waiting for this process to be torn down.
        view = memoryview(len(payload).to_bytes(8, "little") + payload)
        while view:
            written = os.write(write_end, view[: 1 << 20])
            view = view[written:]
    except BaseException:  # noqa: BLE001 - never unwind into the parent's code
        code = 70
    finally:
        os._exit(code)


def run_isolated(
    function: Callable[..., Any],
    *args,
    memory_bytes: int,
    cpu_seconds: int,
    wall_seconds: float,
    **kwargs,
) -> Any:
    """``function(*args, **kwargs)`` in a forked child limited to ``memory_bytes``
    more address space, ``cpu_seconds`` of CPU and ``wall_seconds`` in all.

    Returns its result, re-raises the exception it raised, or raises
    ``IsolatedFailure`` when the child died (out of memory, out of time, crashed).
    The function must not touch the database or shared connections."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which never returns
        os.close(read_end)
        _child(write_end, function, args, kwargs, memory_bytes, cpu_seconds)
    os.close(write_end)
    chunks = []
    received = 0
    expected = None
    deadline = time.monotonic() + wall_seconds
    timed_out = False
    try:
        while expected is None or received < expected + 8:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            received += len(chunk)
            if expected is None and received >= 8:
                expected = int.from_bytes(b"".join(chunks)[:8], "little")
    finally:
        os.close(read_end)
    if timed_out:
        _kill(pid)
        os.waitpid(pid, 0)
        raise IsolatedFailure("time", f"more than {wall_seconds:g} s")
    if expected is not None and received >= expected + 8:
        # The whole result is here: reap the child in the background.
        threading.Thread(target=_reap, args=(pid,), daemon=True).start()
        kind, value = pickle.loads(b"".join(chunks)[8:])
        if kind == "ok":
            return value
        if kind == "raised":
            raise value
        raise IsolatedFailure(kind, value or "")
    _pid, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number in (signal.SIGXCPU, signal.SIGKILL):
            raise IsolatedFailure("time", f"signal {number}")
        # An allocation refused by RLIMIT_AS aborts native code (SIGABRT) or
        # faults (SIGSEGV): both are a file too big to read within the limit.
        raise IsolatedFailure(
            "memory" if number in (signal.SIGABRT, signal.SIGSEGV) else "crash",
            f"signal {number}",
        )
    raise IsolatedFailure("crash", f"exit status {os.WEXITSTATUS(status)}")


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
