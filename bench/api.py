"""API throughput under gunicorn (2 workers) on 127.0.0.1: /api/v1/recommendations for callers
with and without an API key, each as a ratio to /health measured in the same run.

`matchmaker serve` runs on a scratch SQLite copy of the bundled data with one API key. Client
threads with keep-alive connections request one kind of path at a time for a fixed period, the
kinds alternating over several rounds, and the median rates are compared with /health's:

- repeated: 30 council and service queries in turn, answered from each worker's remembered results;
- never-repeated: every current council with every service and every page size, shuffled, each
  sent once in the whole run, so each one is computed by the engine.

Each runs without a key and with one (Authorization: Bearer). Last, the Find partners page signed
out, for the same 30 councils and services in turn (after each has been asked for a few times, so
that both workers have rendered it: repeated pages are what this figure measures). Targets: with
a key, at least 0.6 of /health repeated and 0.3 never-repeated; the Find partners page at least
0.15. Last, the processor time of one never-repeated query against one /health, in-process
through Flask's test client (best of three batches): steadier than the rates on a busy machine.

    python bench/api.py            3 rounds of 8 s per kind
    python bench/api.py --quick    1 round of 3 s
"""

from __future__ import annotations

import argparse
import csv
import http.client
import itertools
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaker.ops.server_process import running_server  # noqa: E402
from tests.support.databases import populate  # noqa: E402

COUNCILS = ("E07000223", "E08000035", "E06000001", "E09000015", "E10000032", "E07000110")
SERVICES = (
    "legal-democratic",
    "ict-digital",
    "revenues-benefits",
    "waste-environment",
    "hr-payroll",
)
RECOMMENDATIONS = [f"/api/v1/recommendations?council={c}&service={s}&limit=10" for c in COUNCILS for s in SERVICES]
FIND_PARTNERS = [f"/find-partners?council={c}&service={s}" for c in COUNCILS for s in SERVICES]
CLIENT_THREADS = 8
TARGETS = {"keyed repeated": 0.6, "keyed never-repeated": 0.3, "find-partners page": 0.15}
UNLIMITED = "100000000 per minute"


def never_repeated_paths() -> list[str]:
    """Every current council with every service and page size: about 95,000 distinct queries,
    shuffled, none of them answered from a remembered result."""
    with (ROOT / "data" / "councils.csv").open(newline="", encoding="utf-8") as handle:
        councils = [row["gss_code"] for row in csv.DictReader(handle) if not row["end_date"]]
    with (ROOT / "data" / "service_areas.csv").open(newline="", encoding="utf-8") as handle:
        services = [row["slug"] for row in csv.DictReader(handle)]
    paths = [
        f"/api/v1/recommendations?council={c}&service={s}&limit={n}"
        for s in services
        for c in councils
        for n in range(1, 21)
    ]
    random.Random(7).shuffle(paths)
    return paths


class Paths:
    """Hands out paths to client threads: cycling through them, or each once and then no more."""

    def __init__(self, paths: list[str], cycle: bool) -> None:
        self._next = iter(itertools.cycle(paths) if cycle else paths).__next__
        self._lock = threading.Lock()
        self.exhausted = False

    def take(self) -> str | None:
        with self._lock:
            try:
                return self._next()
            except StopIteration:
                self.exhausted = True
                return None


def hammer(base: str, paths: Paths, seconds: float, headers: dict[str, str]) -> float:
    """Requests per second over ``seconds`` from CLIENT_THREADS keep-alive clients."""
    netloc = urlsplit(base).netloc
    counts = [0] * CLIENT_THREADS
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def client(slot: int) -> None:
        connection = http.client.HTTPConnection(netloc, timeout=30)
        while time.perf_counter() < deadline:
            path = paths.take()
            if path is None:
                break
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path} answered {response.status}")
                return
            counts[slot] += 1
        connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(failures[0])
    if paths.exhausted:
        raise SystemExit("ran out of never-repeated queries: shorten the rounds")
    return sum(counts) / (time.perf_counter() - start)


def warm(base: str, paths: list[str], times: int) -> None:
    """Each path ``times`` over, from the client threads, so both workers have seen them all."""
    netloc = urlsplit(base).netloc
    queue = Paths(paths * times, cycle=False)

    def client() -> None:
        connection = http.client.HTTPConnection(netloc, timeout=120)
        while (path := queue.take()) is not None:
            connection.request("GET", path)
            connection.getresponse().read()
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def cpu_per_request(client, paths: list[str], headers: dict[str, str]) -> float:
    """Milliseconds of processor time per request over ``paths``."""
    start = time.process_time()
    for path in paths:
        if client.get(path, headers=headers).status_code != 200:
            raise SystemExit(f"{path} failed in-process")
    return (time.process_time() - start) / len(paths) * 1000


def in_process(url: str, directory: str, key: str) -> dict[str, float]:
    """Processor milliseconds of a never-repeated query without and with a key, and of /health,
    best of three batches each (the last of the never-repeated paths: unseen in this process)."""
    import logging

    from matchmaker import create_app

    logging.getLogger("matchmaker.access").setLevel(logging.WARNING)
    app = create_app(
        {
            "INSTANCE_PATH": directory,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "API_RATE_LIMIT_ANONYMOUS": UNLIMITED,
            "API_RATE_LIMIT_KEYED": UNLIMITED,
        }
    )
    client = app.test_client()
    paths = never_repeated_paths()[-4000:]
    keyed = {"Authorization": f"Bearer {key}"}
    cpu_per_request(client, paths[:100] + ["/health"] * 100, {})  # warm up
    return {
        "anonymous": min(cpu_per_request(client, paths[k : k + 600], {}) for k in (100, 700, 1300)),
        "keyed": min(cpu_per_request(client, paths[k : k + 600], keyed) for k in (1900, 2500, 3100)),
        "health": min(cpu_per_request(client, ["/health"] * 600, {}) for _ in range(3)),
    }


def create_key(url: str) -> str:
    from matchmaker.db.session import Database
    from matchmaker.services import keys

    database = Database(url)
    try:
        with database.transaction() as session:
            _, plaintext = keys.create_key(session, "benchmark", ["public:read"])
    finally:
        database.dispose()
    return plaintext


def _rates(values: list[float]) -> str:
    return ", ".join(f"{v:.0f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    rounds, seconds = (1, 3.0) if args.quick else (3, 8.0)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.sqlite"
        populate(url, "bundled")
        key = create_key(url)
        keyed = {"Authorization": f"Bearer {key}"}
        env = {
            "MATCHMAKER_DATABASE_URL": url,
            "MATCHMAKER_SECRET_KEY": "bench",
            "MATCHMAKER_API_RATE_LIMIT_ANONYMOUS": UNLIMITED,
            "MATCHMAKER_API_RATE_LIMIT_KEYED": UNLIMITED,
            "MATCHMAKER_LOG_LEVEL": "warning",
        }
        distinct = Paths(never_repeated_paths()[:-4000], cycle=False)
        kinds = {
            "/health": (["/health"], True, {}),
            "anonymous repeated": (RECOMMENDATIONS, True, {}),
            "anonymous never-repeated": (None, False, {}),
            "keyed repeated": (RECOMMENDATIONS, True, keyed),
            "keyed never-repeated": (None, False, keyed),
            "find-partners page": (FIND_PARTNERS, True, {}),
        }
        rates: dict[str, list[float]] = {kind: [] for kind in kinds}
        with running_server(env, Path(directory) / "server.log", workers=2, threads=4) as server:
            warm_seconds = 2.0 if args.quick else 4.0
            hammer(server.url, Paths(RECOMMENDATIONS, True), warm_seconds, keyed)
            warm(server.url, FIND_PARTNERS, 6)  # each page rendered once by each worker, likely
            for _ in range(rounds):
                for kind, (paths, cycle, headers) in kinds.items():
                    source = Paths(paths, cycle) if paths else distinct
                    rates[kind].append(hammer(server.url, source, seconds, headers))
        cpu = in_process(url, directory, key)
    medians = {kind: statistics.median(values) for kind, values in rates.items()}
    health = medians["/health"]
    print(
        f"api: gunicorn 2 workers x 4 threads, {CLIENT_THREADS} keep-alive clients, "
        f"{rounds} x {seconds:.0f} s per kind; /api/v1/recommendations unless named"
    )
    for kind, rate in medians.items():
        target = TARGETS.get(kind)
        verdict = ""
        if target is not None:
            verdict = f"  ({'meets' if rate / health >= target else 'MISSES'} >= {target:.2f})"
        print(
            f"  {kind:25s} {rate:7.0f} req/s  {rate / health:5.2f} of /health{verdict}  (rounds: {_rates(rates[kind])})"
        )
    print(
        f"  processor time in-process: never-repeated query {cpu['anonymous']:.2f} ms without a "
        f"key, {cpu['keyed']:.2f} ms with one; /health {cpu['health']:.2f} ms"
    )


if __name__ == "__main__":
    main()
