"""API throughput under gunicorn (2 workers) on 127.0.0.1: /api/v1/recommendations for callers
with and without an API key, each as a ratio to /health measured in the same run.

`matchmaker serve` runs on a scratch SQLite copy of the bundled data with one API key. Client
threads with keep-alive connections request one kind of path at a time for a fixed period, the
kinds alternating over several rounds, and the median rates are compared with /health's:

- repeated: 30 council and service queries in turn, answered from each worker's remembered results;
- never-repeated: every current council with every service and every page size, shuffled, each
  sent once in the whole run, so each one is computed by the engine.

Each runs without a key and with one (Authorization: Bearer). Callers without a key are also
measured, in the same rounds, on the code as it was before the work on fast keyed calls
(BASELINE, checked out with `git archive` into a scratch folder and served the same way on its
own copy of today's bundled data, loaded by its own code: the bundled arrangements have grown
since, from 67 to 161, and more arrangements mean more work per answer for any code, so both are
measured on the same data): "no worse than before" is then their requests per second now against
then, not a ratio to /health (which no longer passes the rate limiter, so is faster). Last, the
Find partners page signed out, for the same 30 councils and services in turn (after each has been
asked for a few times, so that both workers have rendered it: repeated pages are what this
figure measures). Targets: with a key, at least 0.6 of /health repeated and 0.3 never-repeated;
the Find partners page at least 0.15. Last, the processor time of one never-repeated query
against one /health, in-process through Flask's test client (best of three batches): steadier
than the rates on a busy machine.

    python bench/api.py                    3 rounds of 6 s per kind
    python bench/api.py --quick            1 round of 3 s
    python bench/api.py --baseline none    without the code from before
"""

from __future__ import annotations

import argparse
import csv
import http.client
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
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
# The last commit before the work on fast keyed calls (2026-11-30): /health then passed the rate
# limiter, and callers without a key made 0.71 (repeated) and 0.32 (never-repeated) of it.
BASELINE = "636fd0c"
BEFORE = "before: "
# Processor time per anonymous request through Flask's test client, run by whichever code is first
# on PYTHONPATH (today's or the baseline's), so both are measured by the same lines.
ANONYMOUS_CPU = """
import json, logging, sys, time
from matchmaker import create_app
url, directory, limit = sys.argv[1:4]
repeated, unseen = json.load(sys.stdin)
logging.getLogger("matchmaker.access").setLevel(logging.WARNING)
app = create_app({"INSTANCE_PATH": directory, "DATABASE_URL": url, "SECRET_KEY": "bench",
                  "API_RATE_LIMIT_ANONYMOUS": limit, "API_RATE_LIMIT_KEYED": limit})
client = app.test_client()
def cpu(batch):
    start = time.process_time()
    for path in batch:
        assert client.get(path).status_code == 200, path
    return (time.process_time() - start) / len(batch) * 1000
cpu(repeated * 3 + ["/health"] * 100)
print(json.dumps({
    "repeated": min(cpu(repeated * 20) for _ in range(3)),
    "never-repeated": min(cpu(unseen[k : k + 600]) for k in (0, 600, 1200)),
    "/health": min(cpu(["/health"] * 600) for _ in range(3)),
}))
"""


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


def baseline_tree(commit: str, directory: Path) -> Path | None:
    """The repository's files at ``commit``, in ``directory``; None without git or that commit."""
    tree = directory / "baseline"
    tree.mkdir()
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    except (OSError, subprocess.CalledProcessError) as problem:
        print(f"  (no baseline: git archive {commit} failed: {problem})")
        return None
    return tree


def anonymous_cpu(tree: Path, url: str, directory: Path, unseen: list[str]) -> dict[str, float]:
    """Processor milliseconds per anonymous request with ``tree``'s code (ANONYMOUS_CPU)."""
    directory.mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    answer = subprocess.run(
        [sys.executable, "-c", ANONYMOUS_CPU, url, str(directory), UNLIMITED],
        input=json.dumps([RECOMMENDATIONS, unseen]),
        cwd=tree, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(answer.stdout.strip().splitlines()[-1])


def populate_with(tree: Path, url: str) -> None:
    """Today's bundled data loaded by ``tree``'s own code (its schema may differ from today's)."""
    shutil.copytree(ROOT / "data", tree / "data", dirs_exist_ok=True)
    module = "tests.support.databases" if (tree / "tests" / "support" / "databases.py").exists() else "tests.databases"
    code = f"import sys; from {module} import populate; populate(sys.argv[1], 'bundled')"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, "-c", code, url], cwd=tree, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--baseline", default=BASELINE, help=f"commit to compare with (default {BASELINE}), or none")
    args = parser.parse_args()
    # 3 rounds of 6 s: at about 1,000 never-repeated requests a second, longer rounds would run out
    # of the queries no server has seen (half of them each for now and before)
    rounds, seconds = (1, 3.0) if args.quick else (3, 6.0)
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
        unseen = never_repeated_paths()[:-4000]
        distinct = Paths(unseen[0::2], cycle=False)
        kinds = {
            "/health": ("now", ["/health"], True, {}),
            "anonymous repeated": ("now", RECOMMENDATIONS, True, {}),
            "anonymous never-repeated": ("now", None, False, {}),
            "keyed repeated": ("now", RECOMMENDATIONS, True, keyed),
            "keyed never-repeated": ("now", None, False, keyed),
            "find-partners page": ("now", FIND_PARTNERS, True, {}),
        }
        tree = None if args.baseline == "none" else baseline_tree(args.baseline, Path(directory))
        if tree is not None:
            # The baseline's own never-repeated queries: the other half, unseen by either server.
            before_distinct = Paths(unseen[1::2], cycle=False)
            old_url = f"sqlite:///{directory}/baseline.sqlite"
            populate_with(tree, old_url)
            kinds[BEFORE + "/health"] = ("before", ["/health"], True, {})
            kinds[BEFORE + "anonymous repeated"] = ("before", RECOMMENDATIONS, True, {})
            kinds[BEFORE + "anonymous never-repeated"] = ("before", None, False, {})
        rates: dict[str, list[float]] = {kind: [] for kind in kinds}
        with ExitStack() as stack:
            servers = {"now": stack.enter_context(running_server(env, Path(directory) / "server.log", 2, 4))}
            if tree is not None:
                old_env = {**env, "MATCHMAKER_DATABASE_URL": old_url, "PYTHONPATH": str(tree)}
                servers["before"] = stack.enter_context(running_server(old_env, Path(directory) / "old.log", 2, 4))
            warm_seconds = 2.0 if args.quick else 4.0
            hammer(servers["now"].url, Paths(RECOMMENDATIONS, True), warm_seconds, keyed)
            warm(servers["now"].url, FIND_PARTNERS, 6)  # each page rendered once by each worker, likely
            if tree is not None:
                hammer(servers["before"].url, Paths(RECOMMENDATIONS, True), warm_seconds, {})
            for _ in range(rounds):
                for kind, (server, paths, cycle, headers) in kinds.items():
                    source = Paths(paths, cycle) if paths else (before_distinct if server == "before" else distinct)
                    rates[kind].append(hammer(servers[server].url, source, seconds, headers))
        cpu = in_process(url, directory, key)
        anonymous = {}
        if tree is not None:
            # Each process keeps its own results, so these are new to both.
            spare = never_repeated_paths()[-4000:-2200]
            anonymous["now"] = anonymous_cpu(ROOT, url, Path(directory) / "cpu-now", spare)
            anonymous["before"] = anonymous_cpu(tree, old_url, Path(directory) / "cpu-before", spare)
    report(rates, rounds, seconds, cpu, anonymous)


def report(rates: dict[str, list[float]], rounds: int, seconds: float, cpu: dict[str, float], anonymous: dict) -> None:
    medians = {kind: statistics.median(values) for kind, values in rates.items()}
    health = medians["/health"]
    print(
        f"api: gunicorn 2 workers x 4 threads, {CLIENT_THREADS} keep-alive clients, "
        f"{rounds} x {seconds:.0f} s per kind; /api/v1/recommendations unless named"
    )
    for kind, rate in medians.items():
        if kind.startswith(BEFORE):
            continue
        target = TARGETS.get(kind)
        verdict = ""
        if target is not None:
            verdict = f"  ({'meets' if rate / health >= target else 'MISSES'} >= {target:.2f})"
        print(
            f"  {kind:25s} {rate:7.0f} req/s  {rate / health:5.2f} of /health{verdict}  (rounds: {_rates(rates[kind])})"
        )
    if BEFORE + "/health" in medians:
        old_health = medians[BEFORE + "/health"]
        print("  without a key, now against the code before this work (its /health still passed the limiter):")
        for kind in ("anonymous repeated", "anonymous never-repeated"):
            now, then = medians[kind], medians[BEFORE + kind]
            print(
                f"  {kind:25s} {now:7.0f} req/s now, {then:7.0f} before: {now / then:4.2f}x "
                f"({'no worse' if now >= then else 'WORSE'}; before it was {then / old_health:4.2f} of its "
                f"/health at {old_health:.0f} req/s)  (rounds before: {_rates(rates[BEFORE + kind])})"
            )
    if anonymous:
        now, then = anonymous["now"], anonymous["before"]
        print("  without a key, processor ms per request in-process, now against before (lower is better):")
        for kind in ("repeated", "never-repeated", "/health"):
            print(f"  {kind:25s} {now[kind]:5.2f} ms now, {then[kind]:5.2f} ms before: {now[kind] / then[kind]:4.2f}x")
    print(
        f"  processor time in-process: never-repeated query {cpu['anonymous']:.2f} ms without a "
        f"key, {cpu['keyed']:.2f} ms with one; /health {cpu['health']:.2f} ms"
    )


if __name__ == "__main__":
    main()
