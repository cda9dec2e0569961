"""Which machine a figure was taken on, printed before the figures.

The same code measured 16,056 import rows/s and a 1,400 ms load-test p95 on one
day's 2-core VM and about 40,000 rows/s and 260 ms on the next day's: a figure only
compares with another taken on an equally fast machine. `machine_loop_ms` is a
fixed pure-Python workload (dicts, strings, integers, as a request is) timed
before the run, so runs from different days can be told apart by the machine.
"""

import os
import platform
import statistics
import time


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _loop() -> float:
    started = time.perf_counter()
    table: dict[str, int] = {}
    for number in range(200_000):
        key = f"row-{number % 5_000}"
        table[key] = table.get(key, 0) + number * number % 97
    return (time.perf_counter() - started) * 1000


def describe():
    """`(name, value)` pairs: the processor, its cores, and the median of five
    runs of the reference loop in milliseconds (lower is a faster machine)."""
    yield "machine_cpu", _cpu_model()
    yield "machine_cores", os.cpu_count() or 1
    yield "machine_loop_ms", round(statistics.median(_loop() for _ in range(5)), 1)
