"""Load and soak: browsing, recommendations and submissions against `matchmaker serve` (gunicorn).

Everything runs on 127.0.0.1: a scratch database (PostgreSQL when it answers) with the bundled
data and demo accounts, the production server, and locust users as a library, bounded in time.
Reports requests, errors, p50/p95/p99 latency and the RSS of the gunicorn workers after warm-up
and at the end. Exits 1 when a request failed or worker memory grew by more than 10%.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from gevent import monkey

monkey.patch_all()

import gevent  # noqa: E402
import psutil  # noqa: E402
import requests  # noqa: E402
from locust import HttpUser, between, task  # noqa: E402
from locust.env import Environment  # noqa: E402

from matchmaker.config import PROJECT_ROOT  # noqa: E402
from matchmaker.db.session import Database  # noqa: E402
from matchmaker.ingest.bundled import load_bundled  # noqa: E402
from matchmaker.ops.scratch_database import scratch_database  # noqa: E402
from matchmaker.ops.server_process import running_server  # noqa: E402
from matchmaker.services.keys import create_key  # noqa: E402

DEMO_PASSWORD = "bench-demo-password"
OFFICER_EMAIL = "council-officer@demo.example"
OFFICER_COUNCIL = "E07000223"
MEMORY_GROWTH_LIMIT = 0.10


class World:
    """What the simulated users pick from, filled before they start."""

    councils: list[str] = []
    regions: list[str] = []
    services: list[str] = []
    keys: list[str] = []
    officer_cookie: dict[str, str] = {}


def prepare(url: str, users: int) -> None:
    database = Database(url)
    with database.transaction() as session:
        load_bundled(session, PROJECT_ROOT / "data", demo=True, demo_password=DEMO_PASSWORD)
        World.keys = [create_key(session, f"load test user {k}", ["public:read"])[1] for k in range(users)]
    with database.engine.connect() as connection:
        from sqlalchemy import text

        World.councils = list(
            connection.execute(
                text("SELECT gss_code FROM organisations WHERE end_date IS NULL AND gss_code IS NOT NULL")
            ).scalars()
        )
        World.regions = list(
            connection.execute(text("SELECT DISTINCT region FROM organisations WHERE region IS NOT NULL")).scalars()
        )
        World.services = list(connection.execute(text("SELECT slug FROM service_areas")).scalars())
    database.dispose()


def sign_in_officer(base_url: str) -> dict[str, str]:
    """One sign-in (the sign-in page is rate-limited per address); the submitting users share it."""
    with requests.Session() as session:
        page = session.get(f"{base_url}/sign-in", timeout=30)
        token = _csrf_token(page.text)
        response = session.post(
            f"{base_url}/sign-in",
            timeout=30,
            allow_redirects=False,
            data={"csrf_token": token, "email": OFFICER_EMAIL, "password": DEMO_PASSWORD},
        )
        if response.status_code not in (302, 303):
            raise SystemExit(f"bench: the demo officer could not sign in ({response.status_code})")
        return session.cookies.get_dict()


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    if not found:
        raise SystemExit("bench: no CSRF token on the page")
    return found.group(1)


class Visitor(HttpUser):
    """Browses pages and the API, asks for recommendations, now and then submits something."""

    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.key = random.choice(World.keys)
        self.api = {"Authorization": f"Bearer {self.key}"}

    @task(6)
    def browse(self) -> None:
        choice = random.randrange(7)
        if choice == 0:
            self.client.get("/", name="/")
        elif choice == 1:
            self.client.get(f"/councils/{random.choice(World.councils)}", name="/councils/[code]")
        elif choice == 2:
            self.client.get("/statistics", name="/statistics")
        elif choice == 3:
            self.client.get("/search?q=district", name="/search")
        elif choice == 4:
            self.client.get(
                f"/api/v1/organisations?region={random.choice(World.regions)}&limit=50",
                headers=self.api,
                name="/api/v1/organisations?region",
            )
        elif choice == 5:
            self.client.get(
                f"/api/v1/arrangements?service={random.choice(World.services)}",
                headers=self.api,
                name="/api/v1/arrangements?service",
            )
        else:
            self.client.get("/map/arrangements.json", name="/map/arrangements.json")

    @task(3)
    def recommendations(self) -> None:
        council, service = random.choice(World.councils), random.choice(World.services)
        if random.random() < 0.5:
            self.client.get(
                f"/api/v1/recommendations?council={council}&service={service}&limit=10",
                headers=self.api,
                name="/api/v1/recommendations",
            )
        else:
            self.client.get(f"/find-partners?council={council}&service={service}", name="/find-partners")

    @task(1)
    def submit(self) -> None:
        if random.random() < 0.5:
            codes = random.sample(World.councils, 2)
            self.client.post(
                "/api/v1/savings-estimates",
                headers=self.api,
                name="/api/v1/savings-estimates",
                json={"council_codes": codes, "service": random.choice(World.services)},
            )
            return
        self.client.cookies.update(World.officer_cookie)
        service = random.choice(World.services)
        page = self.client.get(
            f"/find-partners?council={OFFICER_COUNCIL}&service={service}", name="/find-partners (officer)"
        )
        candidate = re.search(r'name="candidate"[^>]*value="([^"]+)"', page.text)
        if page.status_code != 200 or candidate is None:
            return
        self.client.post(
            "/find-partners/introductions",
            name="/find-partners/introductions",
            data={
                "csrf_token": _csrf_token(page.text),
                "council": OFFICER_COUNCIL,
                "service": service,
                "candidate": candidate.group(1),
            },
        )


def worker_rss(server) -> int:
    return sum(psutil.Process(pid).memory_info().rss for pid in server.worker_pids())


def run(users: int, warmup: float, duration: float, server) -> dict:
    environment = Environment(user_classes=[Visitor], host=server.url)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(1, users / 5))
    gevent.sleep(warmup)
    environment.stats.reset_all()
    rss_after_warmup = worker_rss(server)
    gevent.sleep(duration)
    rss_end = worker_rss(server)
    runner.quit()
    total = environment.stats.total
    endpoints = {
        name: {"requests": s.num_requests, "failures": s.num_failures, "p95_ms": s.get_response_time_percentile(0.95)}
        for (name, _method), s in sorted(environment.stats.entries.items())
    }
    return {
        "users": users,
        "seconds": duration,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "requests_per_second": round(total.num_requests / duration, 1),
        "p50_ms": total.get_response_time_percentile(0.50),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "rss_after_warmup_mb": round(rss_after_warmup / 2**20, 1),
        "rss_end_mb": round(rss_end / 2**20, 1),
        "rss_growth": round(rss_end / rss_after_warmup - 1, 3),
        "errors": [f"{e.method} {e.name}: {e.error} x{e.occurrences}" for e in environment.stats.errors.values()],
        "endpoints": endpoints,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 users for 20 s after a 5 s warm-up")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--warmup", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if args.quick:
        args.users, args.seconds, args.warmup = 10, 20.0, 5.0
    with tempfile.TemporaryDirectory() as tmp, scratch_database(Path(tmp)) as url:
        prepare(url, args.users)
        env = {"MATCHMAKER_DATABASE_URL": url, "MATCHMAKER_SECRET_KEY": "load-test", "MATCHMAKER_LOG_LEVEL": "warning"}
        with running_server(env, Path(tmp) / "server.log", workers=args.workers, threads=args.threads) as server:
            World.officer_cookie = sign_in_officer(server.url)
            started = time.monotonic()
            figures = run(args.users, args.warmup, args.seconds, server)
        figures.update(
            backend=url.split(":", 1)[0],
            workers=args.workers,
            threads=args.threads,
            wall_seconds=round(time.monotonic() - started, 1),
        )
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    ok = figures["failures"] == 0 and figures["rss_growth"] <= MEMORY_GROWTH_LIMIT
    return 0 if ok else 1


def report(f: dict) -> None:
    print(
        f"load: {f['users']} users for {f['seconds']:.0f} s on {f['backend']} "
        f"(gunicorn {f['workers']}x{f['threads']}): "
        f"{f['requests']} requests, {f['requests_per_second']}/s, {f['failures']} failures; "
        f"p50 {f['p50_ms']} ms, p95 {f['p95_ms']} ms, p99 {f['p99_ms']} ms; worker RSS "
        f"{f['rss_after_warmup_mb']} -> {f['rss_end_mb']} MB ({f['rss_growth']:+.1%}, limit +10%)"
    )
    for name, e in f["endpoints"].items():
        print(f"  {name:45} {e['requests']:6} req  {e['failures']:3} fail  p95 {e['p95_ms']} ms")
    for error in f["errors"]:
        print(f"  error: {error}")


if __name__ == "__main__":
    sys.exit(main())
