"""Cost per step of the rush, from the lines common/cpu_middleware.py wrote.

Each step is a Locust request name; a POST answered with a redirect is followed
by the browser's GET under the same name, so the two are kept apart
(``proposal: save draft POST`` and ``… GET``): each is one request the server
must serve quickly. ``cpu_ratio`` is the median CPU milliseconds divided by the
machine's reference loop (bench/machine.py), comparable across machines.
"""

import json
import resource
import statistics
from pathlib import Path

from bench.machine import _loop


def loop_cpu_ms(runs: int = 5) -> float:
    """The machine's reference loop (bench/machine.py) in CPU milliseconds,
    median of ``runs``. ``machine_loop_ms`` is wall time: on a machine shared
    with other work it grows with the queue for the processor, and a ratio of
    CPU time to it would flatter the requests. CPU to CPU compares."""

    def cpu_ms() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return (usage.ru_utime + usage.ru_stime) * 1000

    times = []
    for _ in range(runs):
        started = cpu_ms()
        _loop()
        times.append(cpu_ms() - started)
    return round(statistics.median(times), 1)


def read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def cost_by_step(lines: list[dict], loop_ms: float) -> list[dict]:
    """One row per step and method, costliest first: requests, median CPU ms,
    its ratio to the machine loop, median and maximum query count."""
    groups: dict[str, list[dict]] = {}
    for line in lines:
        groups.setdefault(f"{line['step']} {line['method']}", []).append(line)
    rows = []
    for step, entries in groups.items():
        cpu_ms = statistics.median(entry["cpu_ms"] for entry in entries)
        rows.append(
            {
                "step": step,
                "requests": len(entries),
                "cpu_ms": round(cpu_ms, 1),
                "cpu_ratio": round(cpu_ms / loop_ms, 2),
                "queries": statistics.median(entry["queries"] for entry in entries),
                "queries_max": max(entry["queries"] for entry in entries),
            }
        )
    return sorted(rows, key=lambda row: row["cpu_ratio"], reverse=True)


def report(rows: list[dict]) -> list[str]:
    """The lines `make loadtest` prints: one per step, then ``cpu_ratio_max``."""
    lines = [
        f"step {row['step']}: requests {row['requests']}, cpu_ms {row['cpu_ms']}, "
        f"cpu_ratio {row['cpu_ratio']}, queries {row['queries']:g} (max {row['queries_max']})"
        for row in rows
    ]
    worst = rows[0] if rows else None
    lines.append(
        f"cpu_ratio_max: {worst['cpu_ratio']} ({worst['step']})"
        if worst
        else "cpu_ratio_max: none recorded"
    )
    return lines
