from matchmaker.core.benchmarks import benchmark_rows
from matchmaker.core.savings import SavingsIndex, estimate_savings
from matchmaker.core.types import SavingsFigure
from tests.core import worlds

AS_OF = 2020
BENCHMARKS = [
    {"service_area": "all", "measure": "median_annual_saving_per_arrangement_gbp", "central": "100000",
     "source_title": "A report", "source_url": "https://example.org/report"},
    {"service_area": "legal-democratic", "measure": "planned_saving_pct_of_budget", "low": "10", "high": "15",
     "source_url": "https://example.org/plan"},
    {"service_area": "legal-democratic", "measure": "cost_per_hour_gbp", "central": "53"},
]


def figure(amount, kind="achieved", period="annual", financial_year=None, years=None):
    return SavingsFigure(amount, kind, period, financial_year, period_years=years)


def world(specs):
    """specs: (savings figure, start, end, status) per arrangement S0, S1, ... in ict-digital."""
    extra = [worlds.arrangement(f"S{k}", [2 * k, 2 * k + 1], ("ict-digital",), start, end, status, savings=[f])
             for k, (f, start, end, status) in enumerate(specs)]
    return worlds.grid_world(extra)


def estimate(dataset, benchmarks=None):
    return estimate_savings(dataset, [worlds.code(14), worlds.code(15)], "legal-democratic", benchmarks,
                            index=SavingsIndex(dataset, as_of=AS_OF))


def annual(f, start=2010, end=None, status="operational"):
    return (f, start, end, status)


def test_too_few_comparables_says_not_enough_evidence_and_shows_benchmarks_as_context():
    result = estimate(world([annual(figure(200_000))]), BENCHMARKS)
    assert result["status"] == "not_enough_evidence"
    assert result["annual_gbp"] is None and result["comparables_count"] == 1
    assert "Not enough evidence" in result["summary"]
    assert [b["source_url"] for b in result["benchmarks"]] == ["https://example.org/plan", "https://example.org/report"]
    assert [b["kind"] for b in result["benchmarks"]] == ["forecast", "achieved"]
    assert "context" in result["benchmarks_note"] and "not an estimate for these councils" in result["benchmarks_note"]


def test_estimate_rests_on_achieved_figures_with_a_range_and_forecasts_apart():
    specs = [annual(figure(a)) for a in (100_000, 200_000, 300_000)]
    specs.append(annual(figure(4_000_000, period="cumulative", years=10)))  # over ten years: 400,000 a year
    specs.append(annual(figure(1_000_000, period="cumulative"), None))  # no known period: unusable
    specs.append(annual(figure(5_000_000, "expected", None)))  # forecast only
    result = estimate(world(specs), BENCHMARKS)
    assert result["status"] == "estimate" and result["rests_on"] == "achieved"
    assert result["comparables_count"] == 4 and result["forecast_only_count"] == 1 and result["unusable_count"] == 1
    assert (result["low_gbp"], result["annual_gbp"], result["high_gbp"]) == (175_000, 250_000, 325_000)
    assert {c["arrangement_id"] for c in result["comparables"]} == {"S0", "S1", "S2", "S3"}
    assert [f["arrangement_id"] for f in result["forecasts"]] == ["S5"]
    assert result["forecasts"][0]["expected_gbp"] == 5_000_000 and "not counted" in result["forecast_note"]
    assert "1 of the 4 yearly amounts are totals divided by the years their sources say" in result["basis"]
    assert result["benchmarks"] == [] and result["benchmarks_note"] is None  # enough comparables: no prior


def test_comparables_must_be_of_similar_size():
    extra = [worlds.arrangement(f"S{k}", [2 * k, 2 * k + 1], ("ict-digital",), 2010, savings=[figure(1e5)])
             for k in range(2)]
    dataset = worlds.grid_world(extra, orgs={k: {"population": 5_000_000} for k in range(4)})
    assert estimate(dataset)["comparables_count"] == 0  # 10 million people against 229,000
    assert estimate(worlds.grid_world(extra))["comparables_count"] == 2


def test_benchmark_rows_keep_their_source_and_kind():
    rows = benchmark_rows(BENCHMARKS, "legal-democratic")
    assert [(r["measure"], r["kind"]) for r in rows] == [
        ("planned_saving_pct_of_budget", "forecast"), ("median_annual_saving_per_arrangement_gbp", "achieved")]


def test_benchmark_numbers_are_numbers_and_missing_cells_none():
    planned, median = benchmark_rows(BENCHMARKS, "legal-democratic")
    assert (planned["low"], planned["central"], planned["high"], planned["year"]) == (10, None, 15, None)
    assert median["central"] == 100_000 and median["unit"] is None
    assert planned["display"] == "10% to 15% (forecast, not achieved)"
