"""Loading speed: the bundled councils and all known arrangements into a fresh SQLite database.

Prints seconds and, as the machine is noisy, the ratio to a baseline measured in the same run:
parsing the same CSV files with the standard library's csv module.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path

from matchmaker.config import PROJECT_ROOT
from matchmaker.db import migrate
from matchmaker.db.session import Database
from matchmaker.ingest.bundled import load_bundled

DATA = PROJECT_ROOT / "data"


def time_load(directory: Path, index: int) -> float:
    url = f"sqlite:///{directory / f'bench-{index}.sqlite'}"
    migrate.upgrade(url)
    database = Database(url)
    start = time.perf_counter()
    with database.transaction() as session:
        load_bundled(session, DATA)
    elapsed = time.perf_counter() - start
    database.dispose()
    return elapsed


def time_csv_parse() -> float:
    start = time.perf_counter()
    for name in ("service_areas.csv", "councils.csv", "neighbours.csv", "arrangements.csv"):
        with (DATA / name).open(encoding="utf-8", newline="") as handle:
            list(csv.DictReader(handle))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one repetition instead of five")
    args = parser.parse_args()
    repeats = 1 if args.quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        loads = sorted(time_load(Path(tmp), i) for i in range(repeats))
    parses = sorted(time_csv_parse() for _ in range(repeats))
    load, parse = loads[len(loads) // 2], parses[len(parses) // 2]
    print(
        f"ingest: load councils, neighbours and known arrangements (SQLite): {load:.3f} s "
        f"(target < 2 s); {load / parse:.0f}x plain CSV parsing ({parse * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
