"""Savings estimate for a proposed arrangement from comparable real arrangements.

Comparables are arrangements in the same service group whose members' combined population is
within a factor of the proposal's. The estimate rests on achieved savings only, put on a yearly
basis (annual figures, or cumulative ones over known years: see ``figures``). Forecasts are
listed apart and never averaged in. Below ``MIN_COMPARABLES`` the answer is "not enough
evidence", and only then are published benchmark rows shown, as context, with their sources:
never a number without its basis.

``SavingsIndex`` holds the per-arrangement evidence of one Dataset, so an estimate is a few
array comparisons; build it once per Dataset.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .benchmarks import benchmark_rows, context_note
from .figures import format_gbp, forecasts, yearly_figure
from .types import Arrangement, Dataset, current_year

MIN_COMPARABLES = 3
SIZE_FACTOR = 3.0


@dataclass(frozen=True)
class Evidence:
    """What one arrangement reports, ready to compare."""

    arrangement: Arrangement
    population: float | None
    annual_gbp: float | None
    derivation: str
    annualised: bool
    forecast_gbp: float | None
    unusable: bool  # achieved figures whose period cannot be told


class SavingsIndex:
    """Per-Dataset evidence by (service group, synthetic), with population and yearly arrays."""

    def __init__(self, dataset: Dataset, as_of: int | None = None):
        self.as_of = current_year() if as_of is None else as_of
        self.groups = {s.slug: s.group for s in dataset.service_areas}
        self.population = {o.code: o.population for o in dataset.organisations}
        self.synthetic_codes = frozenset(o.code for o in dataset.organisations if o.synthetic)
        self._evidence: dict[tuple[str, bool], list[Evidence]] = {}
        for arr in dataset.arrangements:
            item = self._read(arr)
            for group in {self.groups.get(s, s) for s in arr.services}:
                self._evidence.setdefault((group, arr.synthetic), []).append(item)
        self._arrays = {key: _arrays(items) for key, items in self._evidence.items()}

    def combined_population(self, codes) -> float | None:
        values = [self.population.get(c) for c in codes]
        return float(sum(values)) if values and all(values) else None

    def _read(self, arr: Arrangement) -> Evidence:
        yearly = yearly_figure(arr, self.as_of)
        expected = [f.amount_gbp for f in forecasts(arr)]
        achieved = any(f.kind == "achieved" for f in arr.savings)
        return Evidence(arr, self.combined_population(arr.member_codes_in(self.as_of)),
                        None if yearly is None else yearly.annual_gbp, "" if yearly is None else yearly.derivation,
                        yearly is not None and yearly.annualised,
                        max(expected) if expected else None, achieved and yearly is None)

    def similar(self, service: str, population: float | None, synthetic: bool,
                size_factor: float = SIZE_FACTOR) -> list[Evidence]:
        """Arrangements in the service's group of similar combined population (all when it is unknown)."""
        key = (self.groups.get(service, service), synthetic)
        items = self._evidence.get(key, [])
        if population is None or not items:
            return list(items)
        ratio = self._arrays[key] / population
        keep = np.flatnonzero((ratio >= 1 / size_factor) & (ratio <= size_factor))
        return [items[k] for k in keep]


def _arrays(items: list[Evidence]) -> np.ndarray:
    return np.array([np.nan if e.population is None else e.population for e in items], float)


def comparables(dataset: Dataset, service: str, population: float | None, size_factor: float = SIZE_FACTOR,
                synthetic: bool = False, as_of: int | None = None) -> tuple[list[Evidence], int]:
    """Comparables with an achieved yearly figure, and the number that reported forecasts only.

    Real proposals rest on real arrangements only; synthetic ones (scale tests) on synthetic ones.
    """
    similar = SavingsIndex(dataset, as_of).similar(service, population, synthetic, size_factor)
    found = [e for e in similar if e.annual_gbp is not None]
    return found, sum(e.annual_gbp is None and e.forecast_gbp is not None for e in similar)


def estimate_savings(dataset: Dataset, codes: list[str], service: str, benchmarks: list[dict] | None = None,
                     min_comparables: int = MIN_COMPARABLES, index: SavingsIndex | None = None) -> dict:
    index = index or SavingsIndex(dataset)
    population = index.combined_population(codes)
    synthetic = bool(codes) and set(codes) <= index.synthetic_codes
    similar = index.similar(service, population, synthetic)
    found = sorted((e for e in similar if e.annual_gbp is not None), key=lambda e: e.arrangement.id)
    forecast_only = sorted((e for e in similar if e.annual_gbp is None and e.forecast_gbp is not None),
                           key=lambda e: e.arrangement.id)
    result = {"service": service, "council_codes": list(codes), "as_of_year": index.as_of,
              "rests_on": "achieved", "comparables_count": len(found), "forecast_only_count": len(forecast_only),
              "unusable_count": sum(e.unusable for e in similar),
              "basis": _basis(index, service, population, found), "min_comparables": min_comparables,
              "comparables": [_comparable(e) for e in found],
              "forecasts": [_forecast(e) for e in forecast_only],
              "forecast_note": _forecast_note(forecast_only)}
    if len(found) < min_comparables:
        rows = benchmark_rows(benchmarks, service)
        return {**result, "status": "not_enough_evidence", "annual_gbp": None, "low_gbp": None, "high_gbp": None,
                "benchmarks": rows, "benchmarks_note": context_note(rows, len(found), min_comparables),
                "summary": f"Not enough evidence: {len(found)} comparable arrangement(s) with achieved yearly "
                           f"savings figures, {min_comparables} needed."}
    values = np.array([e.annual_gbp for e in found])
    mid, low, high = (float(np.percentile(values, q)) for q in (50, 25, 75))
    return {**result, "status": "estimate", "annual_gbp": round(mid), "low_gbp": round(low), "high_gbp": round(high),
            "benchmarks": [], "benchmarks_note": None,
            "summary": f"About {format_gbp(mid)} a year (middle half {format_gbp(low)} to {format_gbp(high)}), "
                       f"from the achieved savings of {len(found)} comparable arrangements."}


def _basis(index: SavingsIndex, service: str, population: float | None, found: list[Evidence]) -> str:
    group = index.groups.get(service, service)
    text = f"achieved (not forecast) savings of arrangements in the {group} group"
    text += f" with a combined population within x{SIZE_FACTOR:g} of {population:,.0f}" if population \
        else " (size unknown)"
    annualised = sum(e.annualised for e in found)
    if annualised:
        text += (f"; {annualised} of the {len(found)} yearly amounts are totals divided by the years their "
                 f"sources say they cover")
    return text


def _comparable(e: Evidence) -> dict:
    return {"arrangement_id": e.arrangement.id, "name": e.arrangement.name, "annual_gbp": round(e.annual_gbp),
            "derivation": e.derivation, "source_url": e.arrangement.source_url}


def _forecast(e: Evidence) -> dict:
    return {"arrangement_id": e.arrangement.id, "name": e.arrangement.name, "expected_gbp": round(e.forecast_gbp),
            "source_url": e.arrangement.source_url}


def _forecast_note(forecast_only: list[Evidence]) -> str | None:
    if not forecast_only:
        return None
    return (f"{len(forecast_only)} similar arrangement(s) reported only expected (forecast) savings, over periods "
            f"not always stated; forecasts are not achieved savings and are not counted in the estimate.")
