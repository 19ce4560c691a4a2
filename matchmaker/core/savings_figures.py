"""Reported savings figures, the periods they cover, and how they read. Missing stays missing.

A yearly figure is a figure's amount divided by the years it covers, and nothing else:
- a total (cumulative or expected) covers ``period_years`` when its source states them; the years
  an arrangement has run are not the years a figure covers (Adur and Worthing's £17m covers the ten
  years 2007-2017, not the nineteen since the partnership began);
- an annual figure covers one year, unless it came with period details that leave the length open;
- a figure with no known period is shown as stated and kept out of every yearly sum and average.
Achieved and expected (forecast) figures are kept apart: a forecast never counts as achieved.
One council's share is that council's figure, never the whole arrangement's: the data holds no
source saying that every member saves alike, so no share is scaled up.

Financial years count from their first calendar year: 2015/16 is 2015.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Arrangement, SavingsFigure

FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")


def financial_year(year: int) -> str:
    """2015 -> '2015/16'; 1999 -> '1999/00' is avoided: '1999/2000'."""
    following = year + 1
    return f"{year}/{following % 100:02d}" if following % 100 else f"{year}/{following}"


def parse_year(text: str) -> int:
    """'2015' or a financial year '2015/16' (also '2015-16', '2015/2016') -> 2015.

    Raises ValueError, saying why, for anything else (e.g. '2015/17', not one financial year)."""
    text = text.strip()
    if text.isdigit() and len(text) == 4:
        return int(text)
    found = FINANCIAL_YEAR.match(text)
    if not found:
        raise ValueError(f"not a year or a financial year such as 2015/16: {text!r}")
    first, second = int(found.group(1)), found.group(2)
    expected = first + 1
    if (len(second) == 4 and int(second) != expected) or (len(second) == 2 and int(second) != expected % 100):
        raise ValueError(f"{text!r} is not one financial year (the second year must follow the first)")
    return first


def covered_years(figure: SavingsFigure) -> int | None:
    """How many years the figure covers, or None when its sources do not say."""
    if figure.period_years is not None:
        return figure.period_years if figure.period_years > 0 else None
    if figure.period == "annual" and not figure.has_period_details:
        return 1
    return None


def yearly_amount(figure: SavingsFigure) -> float | None:
    """The figure per year, as stated (a council's share stays a share); None without a period."""
    years = covered_years(figure)
    return None if years is None else figure.amount_gbp / years


def whole_arrangement_yearly(figure: SavingsFigure) -> float | None:
    """Per year for the whole arrangement: None for one council's share or an unknown period."""
    return None if figure.per_council else yearly_amount(figure)


@dataclass(frozen=True)
class YearlyFigure:
    """A figure put on a yearly basis for the whole arrangement, with how it was derived."""

    annual_gbp: float
    derivation: str
    annualised: bool  # True when a total was divided by the years it covers
    figure: SavingsFigure


def _known_by(figure: SavingsFigure, as_of: int | None) -> bool:
    """Reported by ``as_of`` (a back-test must not see later reports); unknown dates count."""
    year = figure.reported_year if figure.reported_year is not None else figure.financial_year
    return as_of is None or year is None or year <= as_of


def _yearly(figure: SavingsFigure, kind: str, as_of: int | None) -> YearlyFigure | None:
    if figure.kind != kind or not _known_by(figure, as_of):
        return None
    amount = whole_arrangement_yearly(figure)
    if amount is None:
        return None
    years = covered_years(figure) or 1
    return YearlyFigure(amount, describe(figure), years > 1, figure)


def yearly_figure(arrangement: Arrangement, as_of: int | None = None, kind: str = "achieved") -> YearlyFigure | None:
    """The arrangement's largest yearly figure of ``kind`` (achieved by default) reported by ``as_of``."""
    found = [y for f in arrangement.savings if (y := _yearly(f, kind, as_of)) is not None]
    return max(found, key=lambda y: y.annual_gbp) if found else None


def annual_equivalent(arrangement: Arrangement, as_of: int | None = None) -> float | None:
    """Achieved savings per year; None for forecasts only, no figures, or an unknown period."""
    found = yearly_figure(arrangement, as_of)
    return None if found is None else found.annual_gbp


def forecasts(arrangement: Arrangement) -> list[SavingsFigure]:
    """Expected (forecast) figures, kept apart from achieved ones."""
    return [f for f in arrangement.savings if f.kind == "expected"]


def has_figures(arrangement: Arrangement) -> bool:
    return bool(arrangement.savings)


def format_gbp(amount: float) -> str:
    """£17m, £1.7m, £3.79m, £630k, £85k, £950: three significant figures at most."""
    for scale, suffix in ((1e6, "m"), (1e3, "k")):
        if abs(amount) >= scale:
            value = amount / scale
            return f"£{value:.0f}{suffix}" if abs(value) >= 100 else f"£{value:.3g}{suffix}"
    return f"£{amount:.0f}"


def _one_year_span(first: int | None, last: int | None) -> str:
    """When a yearly figure applies: 'in 2011/12', 'from 2012/13', 'to 2018/19', or ''."""
    if first is not None and last is not None and first != last:
        return f"over {first}–{last}"
    if first is not None and last is not None:
        return f"in {financial_year(first)}"
    if first is not None:
        return f"from {financial_year(first)}"
    return f"to {financial_year(last)}" if last is not None else ""


def _several_years_span(first: int | None, last: int | None, years: int) -> str:
    """What a total covers: 'over 2007–2017' (ten years between), 'over 2015/16 to 2018/19'
    (four financial years), 'over 9 years from 2016', 'over 10 years'."""
    if first is not None and last is not None:
        if last - first == years:
            return f"over {first}–{last}"
        if last - first + 1 == years:
            return f"over {financial_year(first)} to {financial_year(last)}"
        return f"over {years} years ({first}–{last})"
    if first is not None:
        return f"over {years} years from {first}"
    return f"over {years} years to {last}" if last is not None else f"over {years} years"


def _unknown_span(first: int | None, last: int | None) -> str:
    if first is not None and last is not None:
        return f"over {first}–{last}" if first != last else f"in {first}"
    if first is not None:
        return f"from {first}"
    return f"to {last}" if last is not None else ""


def describe(figure: SavingsFigure, say_kind: bool = True) -> str:
    """One figure in words, with its period or the plain fact that it has none.

    '£17m over 2007–2017, about £1.7m a year'; '£1.3m a year (reported 2022)';
    '£587k a year expected from 2012/13'; '£3m in total (period not stated)'. Without
    ``say_kind`` the word 'expected' is left to a label beside the text."""
    amount = format_gbp(figure.amount_gbp)
    expected = " expected" if figure.kind == "expected" and say_kind else ""
    first, last = figure.period_start_year, figure.period_end_year
    years = covered_years(figure)
    if first is None and last is None and figure.financial_year is not None:  # a figure for one financial year
        first, last = (figure.financial_year, figure.financial_year) if years == 1 else (None, figure.financial_year)
    if years == 1:
        words = [f"{amount} a year{expected}", _one_year_span(first, last)]
    elif years is not None:
        words = [f"{amount}{expected}", _several_years_span(first, last, years)]
    else:
        words = [
            f"{amount}{expected}{' in total' if figure.period == 'cumulative' else ''}",
            _unknown_span(first, last),
        ]
    text = " ".join(w for w in words if w)
    if figure.reported_year is not None and first is None and last is None:
        text += f" (reported {figure.reported_year})"
    if years is None:
        text += " (period not stated)"
    elif years > 1:
        text += f", about {format_gbp(figure.amount_gbp / years)} a year"
    return text + _share_text(figure)


def _share_text(figure: SavingsFigure) -> str:
    if figure.per_council is True:
        return "; one member council's share only"
    if figure.per_council is None and figure.has_period_details:
        return "; the source does not say whether this is one council's share or all members'"
    return ""


def is_doubtful(figure: SavingsFigure) -> bool:
    """The reference notes flag figures whose kind or scope is in doubt with 'Flag:'."""
    return figure.note.strip().lower().startswith("flag:")
