"""`make bench`: run every benchmark module in bench/ and print `name: value` lines.

A benchmark module is `bench/bench_<topic>.py` with a `run()` generator that yields
`(name, value)` pairs. `python -m bench topic` runs one of them. The machine's
lines (bench/machine.py) come first: figures compare only between equal machines.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

from bench.machine import describe


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    wanted = set(argv)
    modules = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    if wanted:
        modules = [name for name in modules if name.removeprefix("bench_") in wanted]
    if not modules:
        print("no benchmarks found", file=sys.stderr)
        return 1
    for metric, value in describe():
        print(f"{metric}: {value}", flush=True)
    for name in modules:
        module = importlib.import_module(f"bench.{name}")
        for metric, value in module.run():
            print(f"{metric}: {value}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
