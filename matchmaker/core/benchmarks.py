"""Published savings benchmarks (data/savings_benchmarks.csv) as context for a savings estimate.

They are shown only when comparable arrangements are too few, and always labelled as context:
they describe other councils and national totals, not the councils asking. Each row keeps its
source and says whether it is an achieved figure, a forecast, or a share of a budget (budgets are
not in the data, so no £ figure is derived from a share).
"""
from __future__ import annotations

FIELDS = ("service_area", "measure", "low", "central", "high", "unit", "basis", "year", "source_title", "source_url")
KIND_LABELS = {"achieved": "achieved", "forecast": "forecast, not achieved", "share_of_budget": "share of budget or spend"}
# per-arrangement or per-council yearly figures, and shares of budget or spend
SERVICE_MEASURES = {
    "annual_saving_gbp", "annual_saving_per_council_gbp", "planned_annual_saving_gbp",
    "planned_annual_saving_per_council_gbp", "saving_pct_of_budget", "planned_saving_pct_of_budget",
    "potential_saving_pct_of_budget",
}
# rows for all services: only the general ones (single cases for "all" are too specific to help)
GENERAL_MEASURES = {
    "median_annual_saving_per_arrangement_gbp", "annual_saving_per_arrangement_gbp", "saving_pct_of_budget",
    "saving_pct_of_total_spend",
}
FORECAST_PREFIXES = ("planned_", "potential_", "expected_", "forecast_", "target_")


def benchmark_kind(measure: str) -> str:
    if measure.startswith(FORECAST_PREFIXES):
        return "forecast"
    if "pct" in measure:
        return "share_of_budget"
    return "achieved"


def benchmark_rows(benchmarks: list[dict] | None, service: str) -> list[dict]:
    """Rows for this service, then the general rows for all services, each with its kind."""
    rows = []
    for row in benchmarks or []:
        area, measure = row.get("service_area"), row.get("measure") or ""
        if (area == service and measure in SERVICE_MEASURES) or (area == "all" and measure in GENERAL_MEASURES):
            picked = typed(row)
            kind = benchmark_kind(measure)
            rows.append({**picked, "kind": kind, "display": f"{display_value(picked)} ({KIND_LABELS[kind]})"})
    return sorted(rows, key=lambda r: (r["service_area"] == "all", r["kind"] != "achieved"))


NUMBERS = ("low", "central", "high")


def typed(row: dict) -> dict:
    """The row with numbers as numbers and the year as a year; anything missing is None."""
    picked = {k: (row.get(k) or None) for k in FIELDS}
    for key in NUMBERS:
        picked[key] = _number(picked[key])
    year = _number(picked["year"])
    picked["year"] = None if year is None else int(year)
    return picked


def display_value(row: dict) -> str:
    """'£100,000', '10-15%' or '£70,000 to £150,000': the figure in its own unit."""
    percent = row.get("unit") == "percent" or "pct" in (row.get("measure") or "")
    values = [_number(row.get(k)) for k in ("low", "central", "high")]
    low, central, high = (None if v is None else (f"{v:g}%" if percent else f"£{v:,.0f}") for v in values)
    if central is not None:
        return central
    if low is not None and high is not None:
        return f"{low} to {high}"
    return low or high or "no figure"


def _number(text) -> float | int | None:
    try:
        value = float(text) if text not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return int(value) if value is not None and value.is_integer() else value


def context_note(rows: list[dict], found: int, needed: int) -> str | None:
    if not rows:
        return None
    return (f"Only {found} comparable arrangement(s) with achieved figures ({needed} needed), so published "
            f"benchmarks are shown as context: they describe other councils or national figures, not an "
            f"estimate for these councils. Forecasts and shares of budget are marked as such.")
