"""Engine benchmark: query, batch and synthetic scale, each against a plain nearest-by-distance
ranking measured in the same run. Prints figures; asserts nothing about wall-clock.

    python bench/engine.py            full run (synthetic up to 10,000 organisations)
    python bench/engine.py --quick    short run (synthetic up to 2,000)
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from matchmaker.core.csv_dataset import load_directory  # noqa: E402
from matchmaker.core.train import fit_model  # noqa: E402

SHIPPED_KIND = "listwise"  # the kind `matchmaker train` keeps on the bundled data (see models/MODEL_CARD.md)
from matchmaker.core.coalitions import coalitions, join_existing  # noqa: E402
from matchmaker.core.recommend import Engine  # noqa: E402
from matchmaker.core.savings import SavingsIndex, estimate_savings  # noqa: E402

DATA_DIRS = (ROOT / "data", ROOT.parent / "shared" / "reference")


def nearest_ranking(engine: Engine, code: str, service: str, top: int, year: int):
    snap = engine.snapshot(year)
    i = engine.index.pos[code]
    candidates = snap.candidates(i, service)
    km = engine.index.distances_from(i)[candidates]
    return candidates[np.argsort(km, kind="stable")[:top]]


def timed(fn, repeat: int) -> float:
    """Median seconds per call after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def query_figures(engine: Engine, year: int, repeat: int) -> dict:
    current = [engine.index.codes[p] for p in engine.snapshot(year).current_positions]
    code, service = current[len(current) // 2], engine.index.services[0]
    model = timed(lambda: engine.top_codes(code, service, 10, year), repeat)
    plain = timed(lambda: nearest_ranking(engine, code, service, 10, year), repeat)
    return {"organisations": len(current), "query_ms": model * 1e3, "nearest_ms": plain * 1e3, "ratio": model / plain}


def page_figures(engine: Engine, year: int, repeat: int) -> dict:
    """What a Find partners page asks of the engine besides the ranking: coalitions, join-existing and
    ten savings estimates (on a per-dataset SavingsIndex built once, as the service caches it)."""
    current = [engine.index.codes[p] for p in engine.snapshot(year).current_positions]
    code, service = current[len(current) // 2], "legal-democratic"
    if service not in engine.index.service_pos:
        service = engine.index.services[0]
    top = [c for c, _ in engine.top_codes(code, service, 10, year)]
    index = SavingsIndex(engine.dataset)
    plain = timed(lambda: nearest_ranking(engine, code, service, 10, year), repeat)
    out = {"nearest_ms": plain * 1e3}
    for name, fn in (
        ("coalitions", lambda: coalitions(engine, code, service, as_of=year)),
        ("join_existing", lambda: join_existing(engine, code, service, as_of=year)),
        (
            "ten_savings_estimates",
            lambda: [estimate_savings(engine.dataset, [code, c], service, index=index) for c in top],
        ),
    ):
        seconds = timed(fn, repeat)
        out[name] = (seconds * 1e3, seconds / plain)
    return out


def batch_figures(engine: Engine, year: int, limit: int | None) -> dict:
    current = [engine.index.codes[p] for p in engine.snapshot(year).current_positions][:limit]
    pairs = [(c, s) for c in current for s in engine.index.services]
    start = time.perf_counter()
    for c, s in pairs:
        engine.top_codes(c, s, 10, year)
    model = time.perf_counter() - start
    start = time.perf_counter()
    for c, s in pairs:
        nearest_ranking(engine, c, s, 10, year)
    plain = time.perf_counter() - start
    return {"queries": len(pairs), "batch_s": model, "nearest_s": plain, "ratio": model / plain}


def real_data(quick: bool) -> None:
    folder = next((d for d in DATA_DIRS if (d / "councils.csv").exists()), None)
    if folder is None:
        print("real data: no councils.csv found; skipped")
        return
    dataset = load_directory(folder)
    start = time.perf_counter()
    model, info = fit_model(dataset, SHIPPED_KIND)
    print(f"real data ({folder}): {len(dataset.organisations)} organisations, {len(dataset.arrangements)} arrangements")
    print(f"  train (fit only): {time.perf_counter() - start:.2f} s on {info['queries']} queries")
    engine = Engine(dataset, model)
    year = engine.snapshot().year
    q = query_figures(engine, year, 50 if quick else 300)
    print(
        f"  one query over {q['organisations']} current organisations: {q['query_ms']:.2f} ms "
        f"(nearest-by-distance {q['nearest_ms']:.2f} ms, ratio {q['ratio']:.1f}x)"
    )
    page = page_figures(engine, year, 20 if quick else 100)
    for name in ("coalitions", "join_existing", "ten_savings_estimates"):
        ms, ratio = page[name]
        print(f"  {name.replace('_', ' ')}: {ms:.2f} ms ({ratio:.1f}x nearest-by-distance)")
    b = batch_figures(engine, year, 40 if quick else None)
    print(
        f"  batch {b['queries']} queries (current councils x {len(engine.index.services)} services): "
        f"{b['batch_s']:.2f} s (nearest {b['nearest_s']:.2f} s, ratio {b['ratio']:.1f}x)"
    )


def scale_child(n_orgs: int, n_arr: int, max_queries: int) -> dict:
    from matchmaker.core.synthetic import generate

    start = time.perf_counter()
    dataset = generate(n_orgs, n_arr, seed=0)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    model, info = fit_model(dataset, SHIPPED_KIND, max_queries=max_queries)
    trained = time.perf_counter() - start
    engine = Engine(dataset, model)
    q = query_figures(engine, 2025, 30)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "organisations": n_orgs,
        "arrangements": n_arr,
        "generate_s": generated,
        "train_s": trained,
        "train_queries": info["queries"],
        "peak_mb": peak_mb,
        **{k: q[k] for k in ("query_ms", "nearest_ms", "ratio")},
    }


def scale(quick: bool) -> None:
    sizes = [(400, 2000), (2000, 10000)] + ([] if quick else [(5000, 25000), (10000, 50000)])
    print("synthetic scale (generated, flagged synthetic; training on a seeded sample of 10,000 queries):")
    print(f"  {'orgs':>6} {'arrs':>6} {'train s':>8} {'query ms':>9} {'nearest ms':>10} {'ratio':>6} {'peak MB':>8}")
    for n_orgs, n_arr in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n_orgs), str(n_arr)], capture_output=True, text=True, check=True
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"  {r['organisations']:>6} {r['arrangements']:>6} {r['train_s']:>8.1f} {r['query_ms']:>9.2f} "
            f"{r['nearest_ms']:>10.2f} {r['ratio']:>6.1f} {r['peak_mb']:>8.0f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short run")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(scale_child(*args.child, max_queries=10000)))
        return
    real_data(args.quick)
    scale(args.quick)


if __name__ == "__main__":
    main()
