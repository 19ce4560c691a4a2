"""Capacity-aware expert assignment: which shared-service expert helps which request.

A request fits an expert only if the expert has skills in the request's service and covers its
region (an expert with no regions listed works nationally). Among fitting pairs the fit is

    fit = 0.4 (service and region match)
        + 0.4 x share of the kinds of help asked for that the expert offers (all of it if none asked)
        + 0.2 x share of the expert's capacity still free before this assignment (load balance)

The exact solver maximises, over all assignments that respect each expert's free capacity,
the sum of ``priority(urgency) + fit``: the priority (several times larger than any fit) makes
helping more requests, and urgent ones first, come before a better fit for fewer. It runs
``scipy.optimize.linear_sum_assignment`` on a slot-expanded matrix: one row per free place of
each expert (later places of the same expert score a lower load-balance term) against one column
per request, plus a zero-cost "leave this place empty" column per place; impossible pairs cost
far more than leaving a place empty, so a request no expert fits is simply left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

HELP_KINDS = (
    ("business_case", "business case"),
    ("mediation", "mediation"),
    ("ict_convergence", "ICT convergence"),
    ("legal_setup", "legal set-up"),
    ("staff_transfer", "staff transfer and HR"),
    ("procurement", "joint procurement"),
    ("governance", "governance and member engagement"),
    ("savings_review", "savings review"),
)
HELP_LABELS = dict(HELP_KINDS)
URGENCY_PRIORITY = {"low": 2.0, "normal": 3.0, "high": 4.0}
WEIGHT_MATCH, WEIGHT_HELP, WEIGHT_BALANCE = 0.4, 0.4, 0.2
NOT_ALLOWED = 1e9  # cost of an impossible (request, place) pair; a "no assignment" column is 0


@dataclass(frozen=True)
class ExpertProfile:
    id: int
    name: str
    services: frozenset[str]
    regions: frozenset[str]
    help_kinds: frozenset[str] = frozenset()
    capacity: int = 1
    load: int = 0
    available: bool = True

    @property
    def free(self) -> int:
        return max(self.capacity - self.load, 0) if self.available else 0

    def covers(self, region: str | None) -> bool:
        return not self.regions or region in self.regions


@dataclass(frozen=True)
class RequestNeed:
    id: int
    service: str
    region: str | None
    help_kinds: frozenset[str] = frozenset()
    urgency: str = "normal"
    label: str = ""
    service_name: str = ""  # the service in words; the slug, spaced out, when not given

    @property
    def service_words(self) -> str:
        """The service inside a sentence: "legal and democratic services", "ICT and digital"."""
        words = self.service_name or self.service.replace("-", " ")
        first = words.split(" ")[0].rstrip(",")
        return words if first.isupper() else words[:1].lower() + words[1:]


@dataclass(frozen=True)
class Pair:
    request_id: int
    expert_id: int
    fit: float
    reason: str


@dataclass(frozen=True)
class Left:
    request_id: int
    reason: str


@dataclass
class Proposal:
    pairs: list[Pair]
    unassigned: list[Left]
    objective: float
    method: str
    extra: dict = field(default_factory=dict)

    @property
    def cost(self) -> float:
        """What the solver minimises: minus the objective."""
        return -self.objective

    @property
    def total_fit(self) -> float:
        return round(sum(p.fit for p in self.pairs), 4)


@dataclass
class Problem:
    """The requests and experts as arrays: which pairs fit, and their fit before load balance."""

    requests: list[RequestNeed]
    experts: list[ExpertProfile]
    allowed: np.ndarray  # (requests, experts) bool
    base_fit: np.ndarray  # (requests, experts) fit without the load-balance term
    help_share: np.ndarray  # (requests, experts)
    priority: np.ndarray  # (requests,)

    def balance(self, expert: int, place: int) -> float:
        """The load-balance term for the expert's ``place``-th new assignment (0 = first)."""
        e = self.experts[expert]
        return WEIGHT_BALANCE * (1.0 - (e.load + place) / e.capacity) if e.capacity > 0 else 0.0

    def value(self, request: int, expert: int, place: int) -> float:
        return float(self.priority[request] + self.base_fit[request, expert] + self.balance(expert, place))


def build_problem(requests: list[RequestNeed], experts: list[ExpertProfile]) -> Problem:
    services = {s: k for k, s in enumerate(sorted({r.service for r in requests}))}
    kinds = {h: k for k, h in enumerate(sorted({h for r in requests for h in r.help_kinds}))}
    has_service = np.zeros((len(experts), max(len(services), 1)), dtype=bool)
    offers = np.zeros((len(experts), max(len(kinds), 1)), dtype=bool)
    for e, expert in enumerate(experts):
        for s in expert.services & services.keys():
            has_service[e, services[s]] = True
        for h in expert.help_kinds & kinds.keys():
            offers[e, kinds[h]] = True
    asks = np.zeros((len(requests), max(len(kinds), 1)), dtype=bool)
    for r, request in enumerate(requests):
        asks[r, [kinds[h] for h in request.help_kinds]] = True
    skill = has_service[:, [services[r.service] for r in requests]].T
    region = _coverage(requests, experts)
    asked = asks.sum(axis=1, keepdims=True)
    help_share = np.where(asked > 0, asks.astype(float) @ offers.T.astype(float) / np.maximum(asked, 1), 1.0)
    allowed = skill & region
    base = np.where(allowed, WEIGHT_MATCH + WEIGHT_HELP * help_share, 0.0)
    priority = np.array([URGENCY_PRIORITY.get(r.urgency, URGENCY_PRIORITY["normal"]) for r in requests])
    return Problem(requests, experts, allowed, base, help_share, priority)


def _coverage(requests: list[RequestNeed], experts: list[ExpertProfile]) -> np.ndarray:
    """(requests, experts): the expert covers the request's region (or works nationally)."""
    names = {g: k for k, g in enumerate(sorted({r.region for r in requests if r.region}))}
    covers = np.zeros((len(experts), len(names) + 1), dtype=bool)  # last column: region not known
    for e, expert in enumerate(experts):
        if not expert.regions:
            covers[e, :] = True
        for g in expert.regions & names.keys():
            covers[e, names[g]] = True
    return covers[:, [names.get(r.region, len(names)) for r in requests]].T.reshape(len(requests), len(experts))


def assign(requests: list[RequestNeed], experts: list[ExpertProfile]) -> Proposal:
    """The assignment with the largest total value, within every expert's free capacity."""
    problem = build_problem(requests, experts)
    slot_expert, slot_place = _places(problem)
    # Rows are free places, columns the requests some place could take, plus one "leave this
    # place empty" column per place: fewer rows than requests keeps the solver fast.
    wanted = np.flatnonzero(problem.allowed.any(axis=1))
    balance = np.array([problem.balance(e, k) for e, k in zip(slot_expert, slot_place)], dtype=float)
    values = problem.priority[wanted][None, :] + problem.base_fit[np.ix_(wanted, slot_expert)].T + balance[:, None]
    cost = np.where(problem.allowed[np.ix_(wanted, slot_expert)].T, -values, NOT_ALLOWED)
    cost = np.hstack([cost, np.zeros((len(slot_expert), len(slot_expert)))])
    rows, cols = linear_sum_assignment(cost)
    chosen: dict[int, list[int]] = {}
    for slot, c in zip(rows, cols):
        if c < len(wanted) and cost[slot, c] < NOT_ALLOWED:
            chosen.setdefault(int(slot_expert[slot]), []).append(int(wanted[c]))
    return _proposal(problem, chosen, "optimal")


def _places(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """One column per free place, only as many per expert as requests it could take."""
    wanted = problem.allowed.sum(axis=0)
    experts, places = [], []
    for e, expert in enumerate(problem.experts):
        count = min(expert.free, int(wanted[e]))
        experts.extend([e] * count)
        places.extend(range(count))
    return np.array(experts, dtype=int), np.array(places, dtype=int)


def greedy(requests: list[RequestNeed], experts: list[ExpertProfile]) -> Proposal:
    """The by-hand baseline: most urgent (then earliest) request first, each taking the expert
    that fits it best among those with a free place."""
    problem = build_problem(requests, experts)
    used = np.zeros(len(experts), dtype=int)
    free = np.array([e.free for e in experts], dtype=int)
    chosen: dict[int, list[int]] = {}
    for r in sorted(range(len(requests)), key=lambda i: (-problem.priority[i], i)):
        open_experts = np.flatnonzero(problem.allowed[r] & (used < free))
        if not len(open_experts):
            continue
        scores = [problem.value(r, e, used[e]) for e in open_experts]
        best = int(open_experts[int(np.argmax(scores))])
        chosen.setdefault(best, []).append(r)
        used[best] += 1
    return _proposal(problem, chosen, "greedy")


def _proposal(problem: Problem, chosen: dict[int, list[int]], method: str) -> Proposal:
    pairs, objective, placed = [], 0.0, set()
    for e, rows in sorted(chosen.items()):
        for place, r in enumerate(sorted(rows, key=lambda i: -problem.base_fit[i, e])):
            value = problem.value(r, e, place)
            objective += value
            fit = round(float(value - problem.priority[r]), 4)
            pairs.append(Pair(problem.requests[r].id, problem.experts[e].id, fit, _pair_reason(problem, r, e, place)))
            placed.add(r)
    pairs.sort(key=lambda p: p.request_id)
    reasons: dict[tuple[str, str | None], str] = {}  # the reason depends only on service and region
    left = []
    for r, req in enumerate(problem.requests):
        if r not in placed:
            key = (req.service, req.region)
            reasons[key] = reasons.get(key) or _left_reason(problem, r)
            left.append(Left(req.id, reasons[key]))
    return Proposal(pairs, left, round(objective, 6), method)


def why_not(request: RequestNeed, expert: ExpertProfile) -> str | None:
    """Why this expert cannot take this request (None when they can)."""
    if request.service not in expert.services:
        return f"{expert.name} has no skills in {request.service_words}"
    if not expert.covers(request.region):
        return f"{expert.name} does not cover {request.region or 'its region'}"
    if not expert.available:
        return f"{expert.name} is unavailable"
    if not expert.free:
        return f"{expert.name} has no free place ({expert.load} of {expert.capacity} in use)"
    return None


def _kinds_text(kinds) -> str:
    return ", ".join(HELP_LABELS.get(k, k.replace("_", " ")) for k in sorted(kinds))


def _pair_reason(problem: Problem, r: int, e: int, place: int) -> str:
    request, expert = problem.requests[r], problem.experts[e]
    where = f"covers {request.region}" if expert.regions else "works nationally"
    parts = [f"{expert.name} has skills in {request.service_words} and {where}"]
    if request.help_kinds:
        offered = request.help_kinds & expert.help_kinds
        missing = request.help_kinds - expert.help_kinds
        text = f"offers {len(offered)} of the {len(request.help_kinds)} kinds of help asked for"
        text += f" ({_kinds_text(offered)})" if offered else ""
        text += f"; not {_kinds_text(missing)}" if missing else ""
        parts.append(text)
    parts.append(f"{expert.load + place} of {expert.capacity} places in use before this")
    return "; ".join(parts)


def _left_reason(problem: Problem, r: int) -> str:
    request = problem.requests[r]
    service = request.service_words
    skilled = [e for e in problem.experts if request.service in e.services]
    if not skilled:
        return f"no expert has skills in {service}"
    local = [e for e in skilled if e.covers(request.region)]
    if not local:
        regions = sorted({g for e in skilled for g in e.regions})
        return (
            f"no expert with skills in {service} covers {request.region or 'its region'} "
            f"(they cover: {', '.join(regions)})"
        )
    if not any(e.available for e in local):
        return f"the {len(local)} expert(s) with skills in {service} in {request.region} are unavailable"
    if not any(e.free for e in local):
        return (
            f"all capacity used: the {len(local)} expert(s) with skills in {service} in {request.region} "
            "have no free place"
        )
    return (
        f"the free places of experts with skills in {service} in {request.region} went to other requests "
        "that are more urgent or fit them better"
    )
