"""Leave-one-out test of the savings estimate against what was achieved, beside simpler rules.

Every arrangement with an achieved yearly figure is held out in turn and predicted from all the
others; the error is |log(achieved) - log(predicted)| (0.69 is a factor of two either way). The
estimate is compared with a constant (the median of the other achieved yearly figures, and the
median of all other yearly figures, forecasts included), with the method in use before savings
periods were read (the median of achieved figures in the service's group within a factor of three
in population, at least three of them; too few gave no number, scored here as the constant), and
with two simpler variants of the estimate. Interval coverage is the share of held-out figures
inside the interval built without them, beside the level the interval states.

Run: ``python -m matchmaker.core.savings_evaluation DATA_DIR`` (a folder in the reference formats).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

from .csv_dataset import load_directory
from .savings import TOLERANCE, Pool, SavingsIndex, interval_bounds
from .types import Dataset

SIZE_FACTOR = 3.0
BOOTSTRAP = 2000


def _errors_of(pool: Pool, predict) -> tuple[np.ndarray, list[bool]]:
    errors, inside = [], []
    for k in pool.held_out():
        value, interval = predict(pool, int(k))
        errors.append(pool.log_yearly[k] - np.log(value))
        inside.append(
            interval is not None
            and np.log(interval[0]) - TOLERANCE <= pool.log_yearly[k] <= np.log(interval[1]) + TOLERANCE
        )
    return np.array(errors), inside


def constant_achieved(pool: Pool, k: int):
    others = pool.log_yearly[pool.achieved & (np.arange(len(pool.items)) != k)]
    return float(np.exp(np.median(others))), None


def constant_all(pool: Pool, k: int):
    others = np.delete(pool.log_yearly, k)
    return float(np.exp(np.median(others))), None


def before_periods(pool: Pool, k: int):
    """The rule in use before: achieved figures in the group, similar size, at least three."""
    item = pool.items[k]
    group = pool.groups.get(pool.query_service(item), "")
    keep = pool.mask("group", group) & pool.achieved & (np.arange(len(pool.items)) != k)
    if item.population:
        ratio = np.exp(pool.log_population - np.log(item.population))
        keep &= (ratio >= 1 / SIZE_FACTOR) & (ratio <= SIZE_FACTOR)
    if keep.sum() < 3:
        return constant_achieved(pool, k)[0], None
    values = np.exp(pool.log_yearly[keep])
    return float(np.median(values)), (float(np.percentile(values, 25)), float(np.percentile(values, 75)))


def _method(pool: Pool):
    def predict(_pool: Pool, k: int):
        item = pool.items[k]
        found = pool.predict(pool.query_service(item), item.population, leave_out=(k,))
        inner = pool.errors(also_out=(k,))
        low, high = interval_bounds(inner)
        return found.yearly_gbp, (found.yearly_gbp * np.exp(low), found.yearly_gbp * np.exp(high))

    return predict


def answered_by_before(pool: Pool) -> int:
    return sum(before_periods(pool, int(k))[1] is not None for k in pool.held_out())


def evaluate(dataset: Dataset, benchmarks: list[dict] | None = None, seed: int = 0) -> dict:
    index = SavingsIndex(dataset, benchmarks=benchmarks)
    pool = index.pools[False]
    achieved_only = Pool([e for e in pool.items if e.achieved], pool.groups, pool.order, pool.benchmarks)
    unscaled = Pool(pool.items, pool.groups, pool.order, pool.benchmarks, scale=False)
    rows = []
    baseline, _ = _errors_of(pool, constant_achieved)
    rng = np.random.default_rng(seed)
    for name, level, errors, inside in (
        ("Constant: median of the other achieved yearly figures", None, *_errors_of(pool, constant_achieved)),
        ("Constant: median of all other yearly figures (forecasts too)", None, *_errors_of(pool, constant_all)),
        ("Before savings periods: group, size within x3, at least 3 achieved", 0.5, *_errors_of(pool, before_periods)),
        (
            "Service, then group, then published; achieved figures only",
            0.8,
            *_errors_of(achieved_only, _method(achieved_only)),
        ),
        ("Service, then group, then published; no size scaling", 0.8, *_errors_of(unscaled, _method(unscaled))),
        ("Service, then group, then published; size-scaled (in use)", 0.8, *_errors_of(pool, _method(pool))),
    ):
        rows.append(_row(name, level, errors, inside, baseline if len(errors) == len(baseline) else None, rng))
    return {
        "held_out": int(len(pool.held_out())),
        "slope": round(pool.full_slope, 3),
        "before_answered": answered_by_before(pool),
        "rows": rows,
        "in_use_beats_constant": rows[-1]["median_abs_log_error"] < rows[0]["median_abs_log_error"],
    }


def _row(name, level, errors, inside, baseline, rng) -> dict:
    row = {
        "method": name,
        "held_out": int(len(errors)),
        "median_abs_log_error": round(float(np.median(np.abs(errors))), 3),
        "interval_level": level,
        "inside_interval": int(sum(inside)) if level else None,
        "difference_interval": None,
    }
    if baseline is not None and level is not None:
        draws = rng.integers(0, len(errors), size=(BOOTSTRAP, len(errors)))
        differences = np.median(np.abs(errors[draws]), axis=1) - np.median(np.abs(baseline[draws]), axis=1)
        row["difference_interval"] = tuple(round(float(v), 3) for v in np.percentile(differences, (2.5, 97.5)))
    return row


def markdown(result: dict) -> str:
    lines = [
        "| method | held out | median abs. log error | vs constant (95% bootstrap) | interval coverage |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in result["rows"]:
        coverage = (
            "no interval"
            if row["interval_level"] is None
            else f"{row['inside_interval']}/{row['held_out']} inside its stated {row['interval_level']:.0%}"
        )
        diff = (
            ""
            if row["difference_interval"] is None
            else f"{row['difference_interval'][0]:+.3f} to {row['difference_interval'][1]:+.3f}"
        )
        lines.append(
            f"| {row['method']} | {row['held_out']} | {row['median_abs_log_error']:.3f} | {diff} | {coverage} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    folder = Path((argv or sys.argv[1:] or ["data"])[0])
    benchmarks_file = folder / "savings_benchmarks.csv"
    benchmarks = list(csv.DictReader(open(benchmarks_file, encoding="utf-8"))) if benchmarks_file.exists() else None
    result = evaluate(load_directory(folder), benchmarks)
    print(markdown(result))
    print(
        f"\nslope {result['slope']}; the rule before periods answered {result['before_answered']} "
        f"of {result['held_out']}; in use beats the constant: {result['in_use_beats_constant']}"
    )


if __name__ == "__main__":
    main()
