from collections import Counter
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchmaker.core.experts import ExpertProfile, RequestNeed, assign, build_problem, greedy


def expert(id, services=("legal",), regions=("South East",), help=(), capacity=1, load=0, available=True):
    return ExpertProfile(
        id, f"Expert {id}", frozenset(services), frozenset(regions), frozenset(help), capacity, load, available
    )


def request(id, service="legal", region="South East", help=(), urgency="normal"):
    return RequestNeed(id, service, region, frozenset(help), urgency)


def pairs_of(proposal):
    return {(p.request_id, p.expert_id) for p in proposal.pairs}


def test_one_request_one_expert_is_a_perfect_fit_with_its_reason():
    proposal = assign([request(1, help=["mediation"])], [expert(7, help=["mediation", "legal_setup"], capacity=2)])
    (pair,) = proposal.pairs
    assert (pair.request_id, pair.expert_id, pair.fit) == (1, 7, 1.0)
    assert pair.reason == (
        "Expert 7 has skills in legal and covers South East; offers 1 of the 1 kinds of help "
        "asked for (mediation); 0 of 2 places in use before this"
    )
    assert proposal.unassigned == []


def test_greedy_takes_the_best_expert_first_and_strands_a_request_the_optimum_places():
    # Request 1 fits expert A best (mediation) but B as well; request 2 only fits A (region).
    experts = [expert("A", regions=("South East", "London"), help=["mediation"]), expert("B")]
    requests = [request(1, help=["mediation"]), request(2, region="London")]
    best, baseline = assign(requests, experts), greedy(requests, experts)
    assert pairs_of(baseline) == {(1, "A")}
    assert [left.request_id for left in baseline.unassigned] == [2]
    assert pairs_of(best) == {(1, "B"), (2, "A")}
    assert best.unassigned == []
    assert best.cost < baseline.cost
    assert best.total_fit == pytest.approx(0.6 + 1.0)  # 1-B lacks mediation; 2-A asked nothing


def test_capacity_is_respected_and_the_rest_say_why():
    experts = [expert(1, capacity=3, load=1)]
    proposal = assign([request(k) for k in range(1, 5)], experts)
    assert len(proposal.pairs) == 2
    assert {left.reason for left in proposal.unassigned} == {
        "the free places of experts with skills in legal in South East went to other requests "
        "that are more urgent or fit them better"
    }


def test_load_balance_prefers_the_less_busy_of_two_equal_experts():
    proposal = assign([request(1)], [expert("busy", capacity=3, load=2), expert("idle", capacity=3)])
    assert pairs_of(proposal) == {(1, "idle")}
    assert proposal.pairs[0].fit == pytest.approx(1.0)


def test_urgent_request_gets_the_last_place():
    proposal = assign([request(1), request(2, urgency="high")], [expert(1)])
    assert pairs_of(proposal) == {(2, 1)}


def test_more_requests_helped_beats_a_better_fit_for_fewer():
    experts = [expert("A", help=["mediation"], regions=()), expert("B", services=("ict",))]
    requests = [request(1, help=["mediation"]), request(2, service="ict"), request(3, help=["mediation"])]
    assert pairs_of(assign(requests, experts)) == {(1, "A"), (2, "B")}


@pytest.mark.parametrize(
    ("experts", "reason"),
    [
        ([], "no expert has skills in legal"),
        ([expert(1, services=("ict",))], "no expert has skills in legal"),
        (
            [expert(1, regions=("London", "North West"))],
            "no expert with skills in legal covers South East (they cover: London, North West)",
        ),
        ([expert(1, available=False)], "the 1 expert(s) with skills in legal in South East are unavailable"),
        (
            [expert(1, capacity=2, load=2), expert(2, capacity=1, load=1)],
            "all capacity used: the 2 expert(s) with skills in legal in South East have no free place",
        ),
    ],
)
def test_unassigned_request_names_why(experts, reason):
    proposal = assign([request(1)], experts)
    assert proposal.pairs == []
    assert [(left.request_id, left.reason) for left in proposal.unassigned] == [(1, reason)]


SERVICES, REGIONS, HELP = (
    ("legal", "ict", "waste"),
    ("North", "South", "East"),
    ("mediation", "legal_setup", "business_case"),
)

experts_strategy = st.lists(
    st.builds(
        lambda i, s, r, h, cap, load, avail: ExpertProfile(
            i, f"E{i}", frozenset(s), frozenset(r), frozenset(h), cap, min(load, cap + 1), avail
        ),
        st.integers(),
        st.sets(st.sampled_from(SERVICES), min_size=1),
        st.sets(st.sampled_from(REGIONS)),
        st.sets(st.sampled_from(HELP)),
        st.integers(0, 5),
        st.integers(0, 6),
        st.booleans(),
    ),
    max_size=8,
)
requests_strategy = st.lists(
    st.builds(
        request,
        st.integers(),
        st.sampled_from(SERVICES),
        st.sampled_from(REGIONS),
        st.sets(st.sampled_from(HELP)),
        st.sampled_from(["low", "normal", "high"]),
    ),
    max_size=14,
)


def numbered(items, cls):
    return [cls(**{**item.__dict__, "id": k}) for k, item in enumerate(items)]


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(experts_strategy, requests_strategy)
def test_never_over_capacity_and_never_worse_than_greedy(raw_experts, raw_requests):
    experts, requests = numbered(raw_experts, ExpertProfile), numbered(raw_requests, RequestNeed)
    best, baseline = assign(requests, experts), greedy(requests, experts)
    for proposal in (best, baseline):
        per_expert = Counter(p.expert_id for p in proposal.pairs)
        assert all(per_expert[e.id] <= e.free for e in experts)
        placed = [p.request_id for p in proposal.pairs] + [left.request_id for left in proposal.unassigned]
        assert sorted(placed) == [r.id for r in requests]
        problem = build_problem(requests, experts)
        assert all(problem.allowed[p.request_id, p.expert_id] for p in proposal.pairs)
    assert best.cost <= baseline.cost + 1e-9


def brute_force_best(requests, experts):
    problem = build_problem(requests, experts)
    best = 0.0
    for choice in product([None, *range(len(experts))], repeat=len(requests)):
        used, total = Counter(), 0.0
        for r, e in enumerate(choice):
            if e is None:
                continue
            if not problem.allowed[r, e] or used[e] >= experts[e].free:
                break
            total += problem.value(r, e, used[e])
            used[e] += 1
        else:
            best = max(best, total)
    return best


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(experts_strategy.map(lambda e: e[:3]), requests_strategy.map(lambda r: r[:5]))
def test_matches_brute_force_on_small_cases(raw_experts, raw_requests):
    experts, requests = numbered(raw_experts, ExpertProfile), numbered(raw_requests, RequestNeed)
    assert assign(requests, experts).objective == pytest.approx(brute_force_best(requests, experts), abs=1e-6)


def test_reasons_name_the_service_in_words_keeping_acronyms():
    assert RequestNeed(1, "ict-digital", None, service_name="ICT and digital").service_words == "ICT and digital"
    assert (
        RequestNeed(1, "legal-democratic", None, service_name="Legal and democratic services").service_words
        == "legal and democratic services"
    )
    assert RequestNeed(1, "legal-democratic", None).service_words == "legal democratic"
