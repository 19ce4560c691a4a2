"""Expert assignment benchmark: 400 open requests, 100 experts with capacities up to 5.

The exact solver (slot-expanded linear_sum_assignment) against the greedy by-hand baseline in the
same run, on generated (synthetic) requests and experts. Prints figures.

    python bench/experts.py [--requests 400] [--experts 100] [--repeat 20] [--seed 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from matchmaker.core.experts import HELP_KINDS, ExpertProfile, RequestNeed, assign, greedy  # noqa: E402

SERVICES = (
    "management",
    "revenues-benefits",
    "ict-digital",
    "legal-democratic",
    "hr-payroll",
    "finance-audit",
    "procurement-assets",
    "customer-services",
    "regulatory",
    "planning-housing",
    "waste-environment",
    "highways-transport",
    "social-care-health",
    "community-safety",
    "leisure-culture",
)
REGIONS = (
    "North East",
    "North West",
    "Yorkshire and The Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
)


def synthetic_world(n_requests: int, n_experts: int, seed: int) -> tuple[list[RequestNeed], list[ExpertProfile]]:
    rng = np.random.default_rng(seed)
    kinds = [k for k, _ in HELP_KINDS]

    def pick(options, low, high):
        return frozenset(rng.choice(options, size=int(rng.integers(low, high + 1)), replace=False).tolist())

    experts = []
    for i in range(n_experts):
        capacity = int(rng.integers(1, 6))
        experts.append(
            ExpertProfile(
                i,
                f"Synthetic expert {i}",
                pick(SERVICES, 2, 5),
                pick(REGIONS, 0, 3),
                pick(kinds, 1, 4),
                capacity,
                int(rng.integers(0, capacity)),
                bool(rng.random() > 0.05),
            )
        )
    requests = [
        RequestNeed(
            j,
            str(rng.choice(SERVICES)),
            str(rng.choice(REGIONS)),
            pick(kinds, 0, 2),
            str(rng.choice(["low", "normal", "normal", "high"])),
        )
        for j in range(n_requests)
    ]
    return requests, experts


def timed(fn, repeat: int) -> tuple[float, object]:
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--experts", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    requests, experts = synthetic_world(args.requests, args.experts, args.seed)
    free = sum(e.free for e in experts)
    exact_s, exact = timed(lambda: assign(requests, experts), args.repeat)
    greedy_s, baseline = timed(lambda: greedy(requests, experts), args.repeat)
    print(
        f"{len(requests)} open requests, {len(experts)} experts (capacity 1-5), {free} free places; "
        f"median of {args.repeat} runs"
    )
    for name, seconds, proposal in (("optimal", exact_s, exact), ("greedy", greedy_s, baseline)):
        print(
            f"  {name:8} {seconds * 1e3:8.1f} ms  assigned {len(proposal.pairs):3}  "
            f"total fit {proposal.total_fit:8.2f}  cost {proposal.cost:9.2f}"
        )
    print(
        f"  time ratio optimal/greedy {exact_s / greedy_s:.2f}; cost ratio optimal/greedy "
        f"{exact.cost / baseline.cost:.4f} (costs are negative: a ratio above 1 is better); "
        f"extra requests helped {len(exact.pairs) - len(baseline.pairs)}; "
        f"extra fit {exact.total_fit - baseline.total_fit:+.2f}"
    )
    print(f"  under 100 ms: {'yes' if exact_s < 0.1 else 'NO'}")


if __name__ == "__main__":
    main()
