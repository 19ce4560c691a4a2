"""Known answers for the savings estimate: levels, size scaling, the interval and the constant test."""

from dataclasses import replace

import numpy as np
import pytest

from matchmaker.core.benchmarks import benchmark_rows, setup_and_payback, yearly_benchmarks
from matchmaker.core.savings import Pool, SavingsIndex, estimate_savings, interval_bounds, stated_level
from matchmaker.core.types import SavingsFigure
from tests.support import worlds
from tests.support.worlds import population, sized_world, yearly

AS_OF = 2020
BENCHMARKS = [
    {
        "service_area": "all",
        "measure": "median_annual_saving_per_arrangement_gbp",
        "central": "100000",
        "source_title": "A report",
        "source_url": "https://example.org/report",
    },
    {
        "service_area": "legal-democratic",
        "measure": "planned_saving_pct_of_budget",
        "low": "10",
        "high": "15",
        "source_url": "https://example.org/plan",
    },
    {"service_area": "legal-democratic", "measure": "cost_per_hour_gbp", "central": "53"},
    {"service_area": "legal-democratic", "measure": "annual_saving_gbp", "central": "606000"},
    {
        "service_area": "all",
        "measure": "setup_cost_pct_of_first2yr_savings",
        "low": "18",
        "high": "59",
        "basis": "Five case studies",
    },
    {"service_area": "all", "measure": "payback_years", "central": "2", "basis": "All five within two years"},
    {
        "service_area": "all",
        "measure": "payback_years",
        "low": "2",
        "high": "3",
        "basis": "Private sector (not councils)",
    },
]


def estimate(dataset, service="ict-digital", codes=(14, 15), benchmarks=None):
    index = SavingsIndex(dataset, as_of=AS_OF, benchmarks=benchmarks)
    return estimate_savings(dataset, [worlds.code(k) for k in codes], service, benchmarks, index=index)


def test_yearly_savings_scale_with_population_as_the_evidence_says():
    result = estimate(sized_world())
    assert result["status"] == "estimate" and result["level"] == "service"
    assert result["annual_gbp"] == round(10 * 229_000**0.5)  # councils 14 and 15: 114,000 + 115,000
    assert result["low_gbp"] == result["high_gbp"] == result["annual_gbp"]  # the evidence fits exactly
    assert result["evaluation"]["median_abs_log_error"] == 0 and result["evaluation"]["beats_constant"]
    bigger = estimate(sized_world(), codes=(34, 35))
    assert bigger["annual_gbp"] == round(10 * 269_000**0.5)
    assert "scaled to these councils' combined population of 229,000" in result["basis"]
    assert "population to the power 0.50" in result["basis"]


def test_the_level_falls_from_service_to_group_to_published_figures_to_all():
    dataset = sized_world("ict-digital")
    assert estimate(dataset, "ict-digital")["level"] == "service"
    group = estimate(dataset, "legal-democratic")  # same back-office group
    assert group["level"] == "group"
    assert group["level_text"] == (
        "from arrangements that share back-office services (too few share legal and democratic services itself)"
    )
    assert estimate(dataset, "waste-environment")["level"] == "all"
    pool = SavingsIndex(dataset, as_of=AS_OF).pools[True]
    published = Pool(pool.items, pool.groups, pool.order, {"waste-environment": [300_000.0, 500_000.0]})
    found = published.predict("waste-environment", 229_000)
    assert (found.level, found.yearly_gbp) == ("benchmarks", 400_000)


def test_estimates_differ_by_service_where_the_evidence_does():
    legal = [
        worlds.arrangement(
            f"L{k}", [2 * k, 2 * k + 1], ("legal-democratic",), 2010, savings=[yearly(100_000 + 1_000 * k)]
        )
        for k in range(4)
    ]
    waste = [
        worlds.arrangement(
            f"W{k}", [2 * k + 8, 2 * k + 9], ("waste-environment",), 2010, savings=[yearly(900_000 + 1_000 * k)]
        )
        for k in range(4)
    ]
    dataset = worlds.grid_world(legal + waste)
    assert estimate(dataset, "legal-democratic")["annual_gbp"] < 200_000
    assert estimate(dataset, "waste-environment")["annual_gbp"] > 700_000


def test_when_the_method_cannot_beat_the_constant_no_number_is_given():
    same = [
        worlds.arrangement(f"S{k}", [2 * k, 2 * k + 1], ("ict-digital",), 2010, savings=[yearly(250_000)])
        for k in range(6)
    ]
    result = estimate(worlds.grid_world(same))
    assert result["status"] == "evidence_too_thin" and result["annual_gbp"] is None
    assert result["low_gbp"] is None and result["comparables_count"] == 6
    assert "did no better than quoting the typical (median) figure" in result["summary"]


def test_doubtful_shares_and_periodless_figures_are_never_evidence():
    kept = [
        worlds.arrangement(
            f"S{k}", [2 * k, 2 * k + 1], ("ict-digital",), 2010, savings=[yearly(10 * population(k) ** 0.5)]
        )
        for k in range(6)
    ]
    left_out = [
        worlds.arrangement(
            "D", [20, 21], ("ict-digital",), 2010, savings=[yearly(9e6, note="Flag: may be a forecast")]
        ),
        worlds.arrangement("P", [22, 23], ("ict-digital",), 2010, savings=[replace(yearly(9e6), per_council=True)]),
        worlds.arrangement(
            "U",
            [24, 25],
            ("ict-digital",),
            2010,
            savings=[SavingsFigure(9e6, "achieved", "cumulative", reported_year=2015)],
        ),
        worlds.arrangement("L", [26, 27], ("ict-digital",), 2010, savings=[yearly(9e6, reported_year=2024)]),
    ]
    result = estimate(worlds.grid_world(kept + left_out))
    assert {c["arrangement_id"] for c in result["comparables"]} == {f"S{k}" for k in range(6)}


def test_forecasts_are_used_and_labelled():
    specs = [yearly(10 * population(k) ** 0.5, "expected" if k % 2 else "achieved") for k in range(8)]
    dataset = worlds.grid_world(
        [
            worlds.arrangement(f"S{k}", [2 * k, 2 * k + 1], ("ict-digital",), 2010, savings=[f])
            for k, f in enumerate(specs)
        ]
    )
    result = estimate(dataset)
    assert (result["achieved_count"], result["forecast_only_count"]) == (4, 4)
    assert result["rests_on"] == "achieved and expected"
    assert {c["kind"] for c in result["comparables"]} == {"achieved", "expected"}
    assert "4 of these figures are forecasts" in result["forecast_note"]
    assert result["evaluation"]["held_out"] == 4  # tested against what was achieved only


def test_the_interval_covers_the_middle_of_the_leave_one_out_errors():
    noise = [1.0, 1.5, 0.7, 1.2, 0.8, 1.3, 0.9, 1.1, 0.6, 1.4]
    sizes = {k: {"population": 20_000 * 2 ** (k // 2)} for k in range(20)}  # pair k: 40,000 x 2^k people
    extra = [
        worlds.arrangement(f"S{k}", [2 * k, 2 * k + 1], ("ict-digital",), 2010, savings=[yearly(40_000 * 2**k * n)])
        for k, n in enumerate(noise)
    ]
    dataset = worlds.grid_world(extra, orgs=sizes)
    pool = SavingsIndex(dataset, as_of=AS_OF).pools[True]
    low, high = np.exp(interval_bounds(pool.loo_errors))
    result = estimate(dataset)
    assert abs(result["low_gbp"] - result["annual_gbp"] * low) <= 1  # within rounding to whole pounds
    assert abs(result["high_gbp"] - result["annual_gbp"] * high) <= 1
    assert low < 1 < high and result["interval_level"] == 0.8
    inside, held = pool.coverage
    assert held == 10 and 0 <= inside <= 10


def test_setup_costs_and_payback_come_from_the_published_case_studies():
    found = setup_and_payback(BENCHMARKS, "legal-democratic", 100_000)
    assert (found["low_gbp"], found["high_gbp"], found["payback_years"]) == (36_000, 118_000, 2)
    assert "within 2 years" in found["text"] and "£36k to £118k" in found["text"]
    assert setup_and_payback([], "legal-democratic", 100_000) is None


def test_published_yearly_figures_by_service():
    assert yearly_benchmarks(BENCHMARKS) == {"legal-democratic": [606_000.0]}


def test_benchmark_rows_keep_their_source_and_kind():
    rows = benchmark_rows(BENCHMARKS, "legal-democratic")
    assert [(r["measure"], r["kind"]) for r in rows] == [
        ("annual_saving_gbp", "achieved"),
        ("planned_saving_pct_of_budget", "forecast"),
        ("median_annual_saving_per_arrangement_gbp", "achieved"),
    ]


def test_benchmark_numbers_are_numbers_and_missing_cells_none():
    planned = benchmark_rows(BENCHMARKS, "legal-democratic")[1]
    assert (planned["low"], planned["central"], planned["high"], planned["year"]) == (10, None, 15, None)
    assert planned["display"] == "10% to 15% (forecast, not achieved)"


@pytest.mark.parametrize("codes", [(14, 15), (0, 35)])
def test_no_evidence_at_all_says_so(codes):
    result = estimate(worlds.grid_world(), codes=codes)
    assert result["status"] == "not_enough_evidence" and result["annual_gbp"] is None


def test_the_interval_takes_the_conformal_order_statistics_and_states_what_they_promise():
    assert interval_bounds(np.arange(1.0, 15.0)) == (1.0, 14.0)  # n = 14: k = floor(1.5) = 1
    assert interval_bounds(np.arange(19.0, 0.0, -1.0)) == (2.0, 18.0)  # n = 19: k = 2, order ignored
    assert stated_level(19) == 0.8 and stated_level(9) == 0.8
    assert stated_level(5) == 0.67  # the extremes of 5 errors promise 1 - 2/6
