"""Find partners server render time on the bundled data, against the home page in the same run.

Renders through the Flask test client (no network), signed out and signed in as the demo council
officer (who also gets audited contact reads), over a spread of councils and all 15 services.
Prints medians and 95th percentiles in milliseconds and the ratio to rendering the home page;
the target is a Find partners render under 300 ms.

    python bench/web.py            full run (every service for 6 councils, 3 rounds)
    python bench/web.py --quick    one round, 3 councils
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaker import create_app  # noqa: E402
from matchmaker.flask_database import get_database  # noqa: E402
from tests.support.databases import DEMO_PASSWORD, populate  # noqa: E402

COUNCILS = ("E07000223", "E08000035", "E06000001", "E09000015", "E10000032", "E07000110")
SERVICES = (
    "management", "revenues-benefits", "ict-digital", "legal-democratic", "hr-payroll",
    "finance-audit", "procurement-assets", "customer-services", "regulatory", "planning-housing",
    "waste-environment", "highways-transport", "social-care-health", "community-safety",
    "leisure-culture",
)  # fmt: skip
TARGET_MS = 300.0


def timed(client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return elapsed


def sign_in(client) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in", data={"email": "council-officer@demo.example", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    if response.status_code != 302:
        raise SystemExit("demo officer could not sign in")


def summary(name: str, values: list[float]) -> str:
    p95 = sorted(values)[max(0, int(len(values) * 0.95) - 1)]
    return f"{name:<34} median {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms   n={len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    councils = COUNCILS[:3] if args.quick else COUNCILS
    rounds = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.sqlite"
        populate(url, "bundled")
        app = create_app(
            {
                "DATABASE_URL": url,
                "INSTANCE_PATH": f"{directory}/instance",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
            }
        )
        anonymous, officer = app.test_client(), app.test_client()
        sign_in(officer)
        paths = [f"/find-partners?council={c}&service={s}" for c in councils for s in SERVICES]
        for path in paths:  # warm: dataset cache, engine snapshots, templates
            timed(anonymous, path)
        home, signed_out, signed_in = [], [], []
        for _ in range(rounds):
            for path in paths:
                home.append(timed(anonymous, "/"))
                signed_out.append(timed(anonymous, path))
                signed_in.append(timed(officer, path))
        get_database(app).dispose()
    home_ms = statistics.median(home)
    print(summary("home page", home))
    print(summary("find partners (signed out)", signed_out))
    print(summary("find partners (officer, contacts)", signed_in))
    worst = max(statistics.median(signed_out), statistics.median(signed_in))
    print(
        f"ratio find partners / home (median): signed out {statistics.median(signed_out) / home_ms:.1f}x, "
        f"officer {statistics.median(signed_in) / home_ms:.1f}x"
    )
    print(f"target: median under {TARGET_MS:.0f} ms -> {'met' if worst < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
