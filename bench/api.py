"""API throughput under gunicorn (2 workers) on 127.0.0.1: /api/v1/recommendations against
/health in the same run.

`matchmaker serve` runs on a scratch SQLite copy of the bundled data; client threads with
keep-alive connections request one endpoint at a time for a fixed period, alternating the two
endpoints over several rounds, and the median rates are compared. Recommendations cycle through
councils and services without If-None-Match; identical queries are answered from the worker's
remembered results, as in service. A third figure uses never-repeated queries (every current
council with every service) so that each one is computed by the engine. Target: recommendations
sustain at least half the /health rate. Last, the processor time of one never-repeated query
against one /health, in-process through Flask's test client (best of three batches): steadier
than the rates on a busy machine.

    python bench/api.py            3 rounds of 8 s per endpoint
    python bench/api.py --quick    1 round of 3 s
"""

from __future__ import annotations

import argparse
import csv
import http.client
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
from tests.databases import populate  # noqa: E402

COUNCILS = ("E07000223", "E08000035", "E06000001", "E09000015", "E10000032", "E07000110")
SERVICES = (
    "legal-democratic",
    "ict-digital",
    "revenues-benefits",
    "waste-environment",
    "hr-payroll",
)
RECOMMENDATIONS = [
    f"/api/v1/recommendations?council={c}&service={s}&limit=10" for c in COUNCILS for s in SERVICES
]
CLIENT_THREADS = 8
TARGET_RATIO = 0.5


def uncached_paths() -> list[str]:
    """Every current council with every service: thousands of distinct queries, none repeated
    within a run, so each one is computed by the engine (no remembered result)."""
    with (ROOT / "data" / "councils.csv").open(newline="", encoding="utf-8") as handle:
        councils = [row["gss_code"] for row in csv.DictReader(handle) if not row["end_date"]]
    with (ROOT / "data" / "service_areas.csv").open(newline="", encoding="utf-8") as handle:
        services = [row["slug"] for row in csv.DictReader(handle)]
    paths = [
        f"/api/v1/recommendations?council={c}&service={s}&limit=7"
        for s in services
        for c in councils
    ]
    random.Random(7).shuffle(paths)
    return paths


def hammer(base: str, paths: list[str], seconds: float) -> float:
    """Requests per second over ``seconds`` from CLIENT_THREADS keep-alive clients."""
    netloc = urlsplit(base).netloc
    counts = [0] * CLIENT_THREADS
    failures: list[str] = []
    deadline = time.perf_counter() + seconds

    def client(slot: int) -> None:
        connection = http.client.HTTPConnection(netloc, timeout=30)
        index = slot
        while time.perf_counter() < deadline:
            path = paths[index % len(paths)]
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path} answered {response.status}")
                return
            counts[slot] += 1
            index += CLIENT_THREADS
        connection.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(slot,)) for slot in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(failures[0])
    return sum(counts) / (time.perf_counter() - start)


def cpu_per_request(client, paths: list[str]) -> float:
    """Milliseconds of processor time per request over ``paths``."""
    start = time.process_time()
    for path in paths:
        if client.get(path).status_code != 200:
            raise SystemExit(f"{path} failed in-process")
    return (time.process_time() - start) / len(paths) * 1000


def in_process(url: str, directory: str) -> tuple[float, float]:
    """(never-repeated query, /health) processor milliseconds, best of three batches each."""
    import logging

    from matchmaker import create_app

    logging.getLogger("matchmaker.access").setLevel(logging.WARNING)
    app = create_app({"INSTANCE_PATH": directory, "DATABASE_URL": url, "SECRET_KEY": "bench",
                      "API_RATE_LIMIT_ANONYMOUS": "100000000 per minute"})
    client = app.test_client()
    paths = uncached_paths()[:2000]
    cpu_per_request(client, paths[:100] + ["/health"] * 100)  # warm up
    query = min(cpu_per_request(client, paths[k : k + 600]) for k in (100, 700, 1300))
    health = min(cpu_per_request(client, ["/health"] * 600) for _ in range(3))
    return query, health


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
        env = {
            "MATCHMAKER_DATABASE_URL": url,
            "MATCHMAKER_SECRET_KEY": "bench",
            "MATCHMAKER_API_RATE_LIMIT_ANONYMOUS": "100000000 per minute",
            "MATCHMAKER_LOG_LEVEL": "warning",
        }
        with running_server(env, Path(directory) / "server.log", workers=2, threads=4) as server:
            hammer(server.url, RECOMMENDATIONS, 2.0 if args.quick else 4.0)  # warm both workers
            health, recommendations, uncached = [], [], []
            distinct = uncached_paths()
            for round_number in range(rounds):
                health.append(hammer(server.url, ["/health"], seconds))
                recommendations.append(hammer(server.url, RECOMMENDATIONS, seconds))
                share = len(distinct) // rounds
                uncached.append(
                    hammer(
                        server.url,
                        distinct[round_number * share : (round_number + 1) * share],
                        seconds,
                    )
                )
        query_cpu, health_cpu = in_process(url, directory)
    health_rate, recommendation_rate = statistics.median(health), statistics.median(recommendations)
    uncached_rate = statistics.median(uncached)
    ratio = recommendation_rate / health_rate
    verdict = "meets" if ratio >= TARGET_RATIO else "MISSES"
    print(
        f"api: gunicorn 2 workers x 4 threads, {CLIENT_THREADS} keep-alive clients, "
        f"{rounds} x {seconds:.0f} s"
    )
    print(f"  /health                 {health_rate:8.0f} req/s  (rounds: {_rates(health)})")
    print(
        f"  /api/v1/recommendations {recommendation_rate:8.0f} req/s  "
        f"(rounds: {_rates(recommendations)})"
    )
    print(f"  ratio {ratio:.2f} of /health ({verdict} the target of {TARGET_RATIO:.2f})")
    print(
        f"  never-repeated queries (each computed by the engine): {uncached_rate:.0f} req/s, "
        f"{uncached_rate / health_rate:.2f} of /health"
    )
    print(
        f"  processor time in-process: never-repeated query {query_cpu:.2f} ms, /health "
        f"{health_cpu:.2f} ms ({query_cpu / health_cpu:.1f}x)"
    )


if __name__ == "__main__":
    main()
