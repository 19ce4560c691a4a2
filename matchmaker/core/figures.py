"""Reading reported savings figures. Missing figures stay missing: None, never zero.

Achieved figures are what an arrangement saved; expected figures are forecasts. The two are kept
apart everywhere: a yearly achieved figure never averages in a forecast.

A cumulative achieved figure becomes a yearly one only when the years it covers are known:
from the start year to the figure's own financial year when it has one, else to the end year of
an arrangement that has ended, else (for one still running) to the as-of year. Divided by
``max(1, last - first)``. A running arrangement's figure was often reported before the as-of
year, in which case the yearly figure is an understatement; the derivation says so.
"""
from __future__ import annotations

from dataclasses import dataclass

from .types import Arrangement, SavingsFigure

RUNNING = ("operational", "in_development")


@dataclass(frozen=True)
class YearlyFigure:
    """An achieved figure put on a yearly basis, with how it was derived."""

    annual_gbp: float
    derivation: str
    annualised: bool  # True when derived from a cumulative figure


def covered_years(arrangement: Arrangement, figure: SavingsFigure, as_of: int) -> tuple[int, int] | None:
    """First and last year a cumulative figure covers, or None when that cannot be told."""
    if arrangement.start_year is None:
        return None
    if figure.financial_year is not None:
        last = figure.financial_year
    elif arrangement.end_year is not None and (arrangement.end_year <= as_of or arrangement.status == "ended"):
        last = arrangement.end_year
    elif arrangement.status in RUNNING:
        last = as_of
    else:  # ended, end year unknown: the period is unknown
        return None
    return (arrangement.start_year, last) if last >= arrangement.start_year else None


def _yearly(arrangement: Arrangement, figure: SavingsFigure, as_of: int) -> YearlyFigure | None:
    if figure.kind != "achieved":
        return None
    if figure.period == "annual":
        return YearlyFigure(figure.amount_gbp, "reported as a yearly figure", False)
    if figure.period != "cumulative":
        return None
    span = covered_years(arrangement, figure, as_of)
    if span is None:
        return None
    first, last = span
    years = max(1, last - first)
    running = figure.financial_year is None and last == as_of and arrangement.status in RUNNING
    note = f" (still running: if it was reported before {as_of} this understates the yearly figure)" \
        if running else ""
    return YearlyFigure(figure.amount_gbp / years,
                        f"cumulative {format_gbp(figure.amount_gbp)} over {first}-{last}, "
                        f"divided by {years} year{'s' if years != 1 else ''}{note}", True)


def yearly_figure(arrangement: Arrangement, as_of: int) -> YearlyFigure | None:
    """The largest achieved yearly figure the record supports (annual, or cumulative over known years)."""
    found = [y for f in arrangement.savings if (y := _yearly(arrangement, f, as_of)) is not None]
    return max(found, key=lambda y: y.annual_gbp) if found else None


def annual_equivalent(arrangement: Arrangement, as_of: int) -> float | None:
    """Achieved savings per year; None for forecasts only, no figures, or an unknown period."""
    found = yearly_figure(arrangement, as_of)
    return None if found is None else found.annual_gbp


def forecasts(arrangement: Arrangement) -> list[SavingsFigure]:
    """Expected (forecast) figures, kept apart from achieved ones."""
    return [f for f in arrangement.savings if f.kind == "expected"]


def has_figures(arrangement: Arrangement) -> bool:
    return bool(arrangement.savings)


def format_gbp(amount: float) -> str:
    if amount >= 1e6:
        return f"£{amount / 1e6:.1f}m"
    if amount >= 1e3:
        return f"£{amount / 1e3:.0f}k"
    return f"£{amount:.0f}"
