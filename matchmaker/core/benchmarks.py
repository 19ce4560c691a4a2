"""Published savings benchmarks (data/savings_benchmarks.csv) beside a savings estimate.

Their yearly figures for a service are the third level of the estimate (after arrangements sharing
the service, then its group); set-up costs and payback are shown beside an estimate; the rest is
context, labelled as such: it describes other councils and national totals, not the councils
asking. Each row keeps its source and says whether it is an achieved figure, a forecast, or a share
of a budget (budgets are not in the data, so no £ figure is derived from a share).
"""

from __future__ import annotations

from .savings_figures import format_gbp

FIELDS = ("service_area", "measure", "low", "central", "high", "unit", "basis", "year", "source_title", "source_url")
KIND_LABELS = {
    "achieved": "achieved",
    "forecast": "forecast, not achieved",
    "share_of_budget": "share of budget or spend",
}
# per-arrangement or per-council yearly figures, and shares of budget or spend
SERVICE_MEASURES = {
    "annual_saving_gbp",
    "annual_saving_per_council_gbp",
    "planned_annual_saving_gbp",
    "planned_annual_saving_per_council_gbp",
    "saving_pct_of_budget",
    "planned_saving_pct_of_budget",
    "potential_saving_pct_of_budget",
}
# rows for all services: only the general ones (single cases for "all" are too specific to help)
GENERAL_MEASURES = {
    "median_annual_saving_per_arrangement_gbp",
    "annual_saving_per_arrangement_gbp",
    "saving_pct_of_budget",
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


YEARLY_MEASURES = ("annual_saving_gbp", "planned_annual_saving_gbp")


def yearly_benchmarks(benchmarks: list[dict] | None) -> dict[str, list[float]]:
    """Published yearly £ savings of whole arrangements, by service (not the 'all' rows)."""
    found: dict[str, list[float]] = {}
    for row in benchmarks or []:
        value = _number(row.get("central"))
        area = row.get("service_area") or ""
        if row.get("measure") in YEARLY_MEASURES and value and area and area != "all":
            found.setdefault(area, []).append(float(value))
    return found


def setup_and_payback(benchmarks: list[dict] | None, service: str, yearly_gbp: float) -> dict | None:
    """Set-up costs and payback from the published case studies, beside a yearly estimate.

    Set-up cost as a share of the first two years' savings (a range) is applied to the estimate;
    payback periods are quoted as published; set-up costs of named cases for this service are
    listed as examples. Rows that say they are not about councils are left out."""
    rows = [typed(r) for r in benchmarks or [] if "not councils" not in (r.get("basis") or "")]
    shares = [r for r in rows if r["measure"] == "setup_cost_pct_of_first2yr_savings" and r["low"] and r["high"]]
    payback = [r for r in rows if r["measure"] == "payback_years" and (r["central"] or r["high"])]
    examples = [r for r in rows if r["measure"] == "setup_cost_gbp" and r["service_area"] == service]
    if not (shares or payback or examples):
        return None
    out: dict = {"low_gbp": None, "high_gbp": None, "payback_years": None, "examples": examples, "sources": []}
    words = []
    if shares:
        share = shares[0]
        out["low_gbp"] = round(yearly_gbp * 2 * share["low"] / 100)
        out["high_gbp"] = round(yearly_gbp * 2 * share["high"] / 100)
        words.append(
            f"set-up costs came to {share['low']:g}% to {share['high']:g}% of the first two years' savings "
            f"in the published case studies ({share['basis'].lower()}), which would be about "
            f"{format_gbp(out['low_gbp'])} to {format_gbp(out['high_gbp'])} here"
        )
        out["sources"].append(share)
    if payback:
        years = payback[0]["central"] or payback[0]["high"]
        out["payback_years"] = years
        words.append(f"those case studies paid back their set-up costs within {years:g} years")
        out["sources"].append(payback[0])
    for row in examples:
        words.append(f"{row['basis']}: £{row['central'] or row['high'] or row['low']:,.0f}")
        out["sources"].append(row)
    out["text"] = "; ".join(words).capitalize() + "."
    return out
