"""What a proposal (councils that would share a service) could save a year, from real arrangements.

Evidence: each arrangement's yearly figure for the whole arrangement over a known period
(``figures``), achieved or expected (forecast), each labelled as such. Figures flagged doubtful in
their source note, single councils' shares and figures without a period are shown on the pages
but never used here.

Level: the arrangements that share the proposal's service when there are at least
``MIN_COMPARABLES``; else those sharing a service of its group; else the published benchmarks'
yearly figures for the service; else every arrangement with a yearly figure. The answer names
the level it rests on.

Size: yearly savings grow with the members' combined population roughly as population^b; b is
fitted by least squares on the logarithms of all the evidence and kept between 0 and 1. Each
comparable is scaled to the proposal's population with it, and the estimate is the median of the
scaled figures.

Interval: every achieved figure is predicted from all the others by the same method, and the
log errors of those predictions, applied around the estimate, give the interval. Its ends are the
order statistics a conformal interval takes (``interval_bounds``): with n errors the k-th smallest
and largest where k = floor(0.1 (n + 1)), rather than the 10th and 90th percentiles, which cover
too little when n is small (7 of 15 held-out figures did). With fewer than 9 errors even the
extremes cannot promise 80%, so the interval is the full range and says so by its level.
The same leave-one-out compares the method with a constant (the median achieved yearly figure):
when the method does not beat it, the answer is "evidence too thin", with the evidence instead of
a number (see ``savings_evaluation`` for the full comparison).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .benchmarks import benchmark_rows, setup_and_payback, yearly_benchmarks
from .savings_figures import describe, format_gbp, is_doubtful, whole_arrangement_yearly
from .types import GROUP_NAMES, Arrangement, Dataset, SavingsFigure, current_year

MIN_COMPARABLES = 3
MIN_FOR_SLOPE = 5
MAX_HELD_OUT = 300
MAX_LISTED = 20  # comparables listed in an answer (comparables_count says how many were used)
MAX_NESTED = 80  # the nested check costs the square of the held-out count
TOLERANCE = 1e-9  # log errors this close to an interval's end are on it (floating-point rounding)
INTERVAL_LEVEL = 0.8
LEVELS = ("service", "group", "benchmarks", "all")


@dataclass(frozen=True)
class Evidence:
    """One usable yearly figure, ready to compare."""

    arrangement_id: str
    name: str
    yearly_gbp: float
    achieved: bool
    population: float | None
    services: frozenset[str]
    groups: frozenset[str]
    text: str
    source_url: str


@dataclass(frozen=True)
class Prediction:
    yearly_gbp: float
    level: str
    used: tuple[Evidence, ...]
    scaled: tuple[float, ...]  # each comparable's figure scaled to the proposal's size
    slope: float


class Pool:
    """The evidence of one kind of data (real or synthetic) as arrays, and what the leave-one-out
    says of it. Everything is a few array operations, so large (synthetic) pools stay quick."""

    def __init__(
        self,
        items: list[Evidence],
        groups: dict[str, str],
        order: dict[str, int],
        benchmarks: dict[str, list[float]] | None = None,
        scale: bool = True,
    ):
        self.items, self.groups, self.order, self.benchmarks = items, groups, order, benchmarks or {}
        self.scale = scale  # False: no size scaling (for comparison in savings_evaluation)
        self.log_yearly = np.log([e.yearly_gbp for e in items]) if items else np.zeros(0)
        self.log_population = np.array([np.log(e.population) if e.population else np.nan for e in items], float)
        self.achieved = np.array([e.achieved for e in items], bool)
        self._masks: dict[tuple[str, str], np.ndarray] = {}

    def mask(self, kind: str, key: str) -> np.ndarray:
        if (kind, key) not in self._masks:
            attribute = "services" if kind == "service" else "groups"
            self._masks[kind, key] = np.array([key in getattr(e, attribute) for e in self.items], bool)
        return self._masks[kind, key]

    def slope(self, keep: np.ndarray | None = None) -> float:
        """b in log(yearly) = a + b log(population), least squares; 0 (no scaling) with too few points."""
        sized = ~np.isnan(self.log_population)
        if keep is not None:
            sized &= keep
        x, y = self.log_population[sized], self.log_yearly[sized]
        if not self.scale or len(x) < MIN_FOR_SLOPE or np.ptp(x) == 0:
            return 0.0
        # Between 0 (size does not matter) and 1 (savings in proportion to population): outside that,
        # a few figures from unlike services or a narrow range of sizes are talking, not size.
        return float(np.clip(np.polyfit(x, y, 1)[0], 0.0, 1.0))

    @cached_property
    def full_slope(self) -> float:
        return self.slope()

    def level(self, service: str, keep: np.ndarray, minimum: int = MIN_COMPARABLES) -> tuple[str, np.ndarray]:
        """The level the estimate rests on and which evidence it uses (none for published figures)."""
        same = self.mask("service", service) & keep
        if same.sum() >= minimum:
            return "service", same
        related = self.mask("group", self.groups.get(service, service)) & keep
        if related.sum() >= minimum:
            return "group", related
        if self.benchmarks.get(service):
            return "benchmarks", np.zeros_like(keep)
        return "all", keep

    def predict(self, service: str, population: float | None, leave_out: tuple[int, ...] = ()) -> Prediction | None:
        keep = np.ones(len(self.items), bool)
        keep[list(leave_out)] = False
        if not keep.any() and not self.benchmarks.get(service):
            return None
        slope = self.slope(keep) if leave_out else self.full_slope
        level, used = self.level(service, keep)
        if level == "benchmarks":
            values = self.benchmarks[service]
            return Prediction(float(np.median(values)), level, (), tuple(values), slope)
        sized = used & ~np.isnan(self.log_population)
        if population and sized.any():
            used = sized
            scaled = self.log_yearly[used] + slope * (np.log(population) - self.log_population[used])
        else:
            scaled = self.log_yearly[used]
        chosen = tuple(self.items[k] for k in np.flatnonzero(used))
        return Prediction(float(np.exp(np.median(scaled))), level, chosen, tuple(np.exp(scaled)), slope)

    def query_service(self, item: Evidence) -> str:
        """The service a held-out arrangement is asked about: its first in the taxonomy."""
        return min(item.services, key=lambda s: (self.order.get(s, len(self.order)), s))

    def held_out(self) -> np.ndarray:
        """The achieved figures to leave out one at a time (an even sample of a very large pool)."""
        positions = np.flatnonzero(self.achieved)
        if len(positions) > MAX_HELD_OUT:
            positions = positions[np.linspace(0, len(positions) - 1, MAX_HELD_OUT).astype(int)]
        return positions

    def errors(self, also_out: tuple[int, ...] = ()) -> np.ndarray:
        """log(achieved) - log(its prediction from all the others, slope refitted), per achieved
        figure not in ``also_out`` (which are left out of every prediction too)."""
        out = []
        for k in self.held_out():
            if k in also_out:
                continue
            item = self.items[k]
            found = self.predict(self.query_service(item), item.population, leave_out=(k, *also_out))
            if found is not None:
                out.append(self.log_yearly[k] - np.log(found.yearly_gbp))
        return np.array(out)

    @cached_property
    def loo_errors(self) -> np.ndarray:
        return self.errors()

    @cached_property
    def coverage(self) -> tuple[int, int] | None:
        """How many held-out achieved figures fall inside the interval built without them
        (a leave-one-out inside the leave-one-out); None for pools too large to check this way."""
        held = self.held_out()
        if len(held) < MIN_FOR_SLOPE + 1 or len(held) > MAX_NESTED:
            return None
        inside = 0
        for position, k in enumerate(held):
            inner = self.errors(also_out=(int(k),))
            low, high = interval_bounds(inner)
            inside += bool(low - TOLERANCE <= self.loo_errors[position] <= high + TOLERANCE)
        return inside, len(held)

    @cached_property
    def constant_errors(self) -> np.ndarray:
        """The same for a constant: the median of the other achieved yearly figures."""
        achieved = self.log_yearly[self.achieved]
        positions = np.flatnonzero(self.achieved)
        out = []
        for k in self.held_out():
            others = achieved[positions != k]
            if len(others):
                out.append(self.log_yearly[k] - np.median(others))
        return np.array(out)

    def interval_factors(self) -> tuple[float, float] | None:
        errors = self.loo_errors
        if len(errors) < MIN_FOR_SLOPE:
            return None
        low, high = interval_bounds(errors)
        return float(np.exp(low)), float(np.exp(high))

    @property
    def interval_level(self) -> float:
        return stated_level(len(self.loo_errors))

    def beats_constant(self) -> bool:
        if len(self.loo_errors) < MIN_FOR_SLOPE:
            return False
        return float(np.median(np.abs(self.loo_errors))) < float(np.median(np.abs(self.constant_errors)))


def interval_bounds(errors: np.ndarray, level: float = INTERVAL_LEVEL) -> tuple[float, float]:
    """The ends of a split-conformal interval from held-out errors: the k-th smallest and the k-th
    largest, k = floor((1 - level) / 2 * (n + 1)), at least 1. A new error exchangeable with these
    falls inside with probability at least 1 - 2k / (n + 1), close to ``level`` once n is 9 or more."""
    ordered = np.sort(np.asarray(errors, dtype=float))
    k = _order(len(ordered), level)
    return float(ordered[k - 1]), float(ordered[-k])


def stated_level(n: int, level: float = INTERVAL_LEVEL) -> float:
    """The coverage ``interval_bounds`` can promise from n errors: ``level``, or less when n < 9."""
    return round(min(level, 1 - 2 * _order(n, level) / (n + 1)), 2)


def _order(n: int, level: float) -> int:
    # (1 - 0.8) / 2 is 0.0999... in floating point: round before taking the floor
    return max(1, int(np.floor(round((1 - level) / 2 * (n + 1), 9))))


def usable(figure: SavingsFigure) -> float | None:
    """A figure's yearly amount when it may be used as evidence, else None."""
    return None if is_doubtful(figure) else whole_arrangement_yearly(figure)


class SavingsIndex:
    """Per-Dataset evidence, split real and synthetic, each with its slope and error checks."""

    def __init__(self, dataset: Dataset, as_of: int | None = None, benchmarks: list[dict] | None = None):
        self.as_of = current_year() if as_of is None else as_of
        self.groups = {s.slug: s.group for s in dataset.service_areas}
        self.service_names = {s.slug: s.name for s in dataset.service_areas}
        order = {s.slug: k for k, s in enumerate(dataset.service_areas)}
        self.population = {o.code: o.population for o in dataset.organisations}
        self.synthetic_codes = frozenset(o.code for o in dataset.organisations if o.synthetic)
        found: dict[bool, list[Evidence]] = {False: [], True: []}
        for arrangement in dataset.arrangements:
            item = self._read(arrangement)
            if item is not None:
                found[arrangement.synthetic].append(item)
        published = yearly_benchmarks(benchmarks)
        self.pools = {flag: Pool(items, self.groups, order, {} if flag else published) for flag, items in found.items()}

    def combined_population(self, codes) -> float | None:
        values = [self.population.get(c) for c in codes]
        return float(sum(values)) if values and all(values) else None

    def _read(self, arrangement: Arrangement) -> Evidence | None:
        """The arrangement's first usable figure reported by the as-of year, if any."""
        for figure in arrangement.savings:
            reported = figure.reported_year if figure.reported_year is not None else figure.financial_year
            yearly = usable(figure)
            if yearly is None or yearly <= 0 or (reported is not None and reported > self.as_of):
                continue
            return Evidence(
                arrangement.id,
                arrangement.name,
                yearly,
                figure.kind == "achieved",
                self.combined_population(arrangement.member_codes),
                frozenset(arrangement.services),
                frozenset(self.groups.get(s, s) for s in arrangement.services),
                describe(figure),
                figure.source_url or arrangement.source_url,
            )
        return None


def estimate_savings(
    dataset: Dataset,
    codes: list[str],
    service: str,
    benchmarks: list[dict] | None = None,
    min_comparables: int = MIN_COMPARABLES,
    index: SavingsIndex | None = None,
) -> dict:
    index = index or SavingsIndex(dataset, benchmarks=benchmarks)
    population = index.combined_population(codes)
    synthetic = bool(codes) and set(codes) <= index.synthetic_codes
    pool = index.pools[synthetic]
    found = pool.predict(service, population)
    result = _common(index, pool, codes, service, population, found, benchmarks, min_comparables)
    if found is None:
        return {
            **result,
            "status": "not_enough_evidence",
            "summary": "Not enough evidence: no arrangement with a yearly savings figure over a known period.",
        }
    if not pool.beats_constant():
        return {
            **result,
            "status": "evidence_too_thin",
            "summary": "The evidence is too thin for an estimate: tested on the arrangements whose achieved "
            "savings are known, this method did no better than quoting the typical (median) "
            "figure for every proposal. The figures it would rest on are listed instead.",
        }
    factors = pool.interval_factors()
    low, high = (found.yearly_gbp * factors[0], found.yearly_gbp * factors[1]) if factors else (None, None)
    summary = f"About {format_gbp(found.yearly_gbp)} a year"
    if factors:
        summary += f" ({pool.interval_level:.0%} interval {format_gbp(low)} to {format_gbp(high)})"
    return {
        **result,
        "status": "estimate",
        "annual_gbp": round(found.yearly_gbp),
        "low_gbp": None if low is None else round(low),
        "high_gbp": None if high is None else round(high),
        "setup": setup_and_payback(benchmarks, service, found.yearly_gbp),
        "summary": summary + f", {_level_words(index, found.level, service)}.",
    }


def _common(
    index: SavingsIndex, pool: Pool, codes, service, population, found: Prediction | None, benchmarks, min_comparables
) -> dict:  # noqa: PLR0913 - one answer's shared fields
    used = found.used if found else ()
    scaled = found.scaled if found else ()
    rows = benchmark_rows(benchmarks, service)
    return {
        "service": service,
        "council_codes": list(codes),
        "as_of_year": index.as_of,
        "combined_population": None if population is None else round(population),
        "annual_gbp": None,
        "low_gbp": None,
        "high_gbp": None,
        "interval_level": pool.interval_level,
        "setup": None,
        "level": found.level if found else None,
        "level_text": _level_words(index, found.level, service) if found else None,
        "rests_on": _rests_on(found),
        "comparables_count": len(used),
        "achieved_count": sum(e.achieved for e in used),
        "forecast_only_count": sum(not e.achieved for e in used),
        "min_comparables": min_comparables,
        "basis": _basis(found, population) if found else None,
        "comparables": _listed(used, scaled, population),
        "forecast_note": _forecast_note(used),
        "benchmarks": rows,
        "evaluation": _evaluation(pool),
    }


def _level_words(index: SavingsIndex, level: str, service: str) -> str:
    name = index.service_names.get(service, service)
    name = name if name[1:2].isupper() else name[:1].lower() + name[1:]  # 'ICT and digital' keeps its capitals
    group = GROUP_NAMES.get(index.groups.get(service, ""), "related services")
    return {
        "service": f"from arrangements that share {name}",
        "group": f"from arrangements that share {group} (too few share {name} itself)",
        "benchmarks": f"from published figures for {name} (too few arrangements share it or {group})",
        "all": f"from every arrangement with a yearly figure (too few share {name} or {group})",
    }[level]


def _rests_on(found: Prediction | None) -> str | None:
    """achieved, expected, achieved and expected, or published figures; None without evidence."""
    if found is None:
        return None
    if found.level == "benchmarks":
        return "published figures"
    used = found.used
    achieved = sum(e.achieved for e in used)
    if achieved == len(used):
        return "achieved"
    return "achieved and expected" if achieved else "expected"


def _basis(found: Prediction, population: float | None) -> str:
    if found.level == "benchmarks":
        return (
            f"the median of {len(found.scaled)} published yearly savings figures for this service, "
            f"not scaled to these councils' size (the publications do not give it)"
        )
    achieved = sum(e.achieved for e in found.used)
    text = (
        f"the median of {len(found.used)} arrangements' yearly savings ({achieved} achieved, "
        f"{len(found.used) - achieved} expected), each a figure over the years its source says it covers"
    )
    if population and found.slope:
        text += (
            f", scaled to these councils' combined population of {population:,.0f} (yearly savings grow "
            f"about as population to the power {found.slope:.2f} across all the arrangements known)"
        )
    return text


def _listed(used: tuple[Evidence, ...], scaled: tuple[float, ...], population: float | None) -> list[dict]:
    """The comparables nearest the proposal in size (all of them, up to ``MAX_LISTED``), by id."""
    pairs = list(zip(used, scaled))
    if len(pairs) > MAX_LISTED:
        sizes = np.array([e.population or np.nan for e in used], float)
        distance = np.abs(np.log(sizes / population)) if population else np.zeros(len(used))
        nearest = np.argsort(np.nan_to_num(distance, nan=np.inf), kind="stable")[:MAX_LISTED]
        pairs = [pairs[k] for k in nearest]
    return [_comparable(e, s) for e, s in sorted(pairs, key=lambda p: p[0].arrangement_id)]


def _comparable(e: Evidence, scaled: float) -> dict:
    return {
        "arrangement_id": e.arrangement_id,
        "name": e.name,
        "annual_gbp": round(e.yearly_gbp),
        "scaled_gbp": round(scaled),
        "kind": "achieved" if e.achieved else "expected",
        "population": None if e.population is None else round(e.population),
        "derivation": e.text,
        "source_url": e.source_url or None,
    }


def _forecast_note(used: tuple[Evidence, ...]) -> str | None:
    forecasts = sum(not e.achieved for e in used)
    if not forecasts:
        return None
    return (
        f"{forecasts} of these figures are forecasts (expected savings) rather than savings achieved; "
        f"they are used because, tested on the achieved figures, including them made the estimate closer."
    )


def _evaluation(pool: Pool) -> dict:
    errors, constant = pool.loo_errors, pool.constant_errors
    coverage = pool.coverage
    typical = None if not len(errors) else float(np.median(np.abs(errors)))
    typical_constant = None if not len(constant) else float(np.median(np.abs(constant)))
    return {
        "held_out": int(len(errors)),
        "median_abs_log_error": None if typical is None else round(typical, 3),
        "constant_median_abs_log_error": None if typical_constant is None else round(typical_constant, 3),
        # the same as factors: half of the held-out figures were within this factor either way
        "typical_factor": None if typical is None else round(float(np.exp(typical)), 2),
        "constant_factor": None if typical_constant is None else round(float(np.exp(typical_constant)), 2),
        "beats_constant": pool.beats_constant(),
        "interval_level": pool.interval_level,
        "inside_interval": None if coverage is None else coverage[0],
    }
