import numpy as np
import pytest

from matchmaker.core.evaluation import QueryResult, backtest, query_metrics, ranks_of, summarise
from matchmaker.core.model import BaselineModel
from matchmaker.core.train import COMPARED, choose_kind
from matchmaker.core.training_examples import Query
from tests.support import worlds


def test_ranks_break_ties_by_position():
    scores = np.array([0.9, 0.5, 0.9, 0.1])
    candidates = np.array([7, 3, 2, 9])
    assert ranks_of(scores, candidates, {7, 9}) == [2, 4]


def test_metrics_on_a_hand_computed_toy_case():
    # query A: relevant ranked 1 and 12 -> recall@10 1/2, RR 1; query B: relevant at 4 -> 1, 1/4; C: 15 -> 0, 1/15
    rows = {"A": ([1, 12], 2), "B": ([4], 1), "C": ([15], 1)}
    table = [query_metrics(r, n, 10) for r, n in rows.values()]
    assert table == [(0.5, 1.0, 1.0), (1.0, 0.25, 1.0), (0.0, 1 / 15, 0.0)]
    results = [
        QueryResult(Query(0, "s", 2020, frozenset(), q), {"model": r, "nearest": [1]}, False, False, "x")
        for q, (r, _) in rows.items()
    ]
    report = summarise(results, 10, n_boot=200, seed=0)
    model = report["methods"]["model"]
    assert model["recall_at_k"]["mean"] == pytest.approx(0.5)
    assert model["mrr"]["mean"] == pytest.approx(round((1 + 0.25 + 1 / 15) / 3, 4))
    assert model["hit_rate"]["mean"] == pytest.approx(round(2 / 3, 4))
    assert model["mrr"]["low"] <= model["mrr"]["mean"] <= model["mrr"]["high"]
    assert report["versus_nearest"]["model"]["mrr"]["mean"] < 0


def test_backtest_reports_every_baseline_side_by_side():
    report = backtest(worlds.legal_world(), {"model": BaselineModel}, n_boot=50, min_train_queries=4)
    methods = report["overall"]["methods"]
    expected = {"model", "random", "nearest", "rule", "same_county_then_distance", "adamic_adar", "popularity"}
    assert expected <= set(methods)
    # paired differences of the model from the hand-tuned rule, overall and on the hard slice
    assert set(report["overall"]["versus_rule"]["model"]) == {"recall_at_k", "mrr", "hit_rate"}
    hard = report["slices"]["hard"]
    assert hard["queries"] == 0 or "model" in hard["versus_rule"]
    assert report["overall"]["queries"] > 0 and report["test_years"]
    # on a grid where every arrangement joins neighbours, nearest-by-distance finds them all
    assert methods["nearest"]["hit_rate"]["mean"] == 1.0


def _difference(recall: tuple[float, float, float], mrr: tuple[float, float, float]) -> dict:
    as_interval = lambda t: dict(zip(("mean", "low", "high"), t))  # noqa: E731
    return {"overall": {"versus_logistic": {"boosted": {"recall_at_k": as_interval(recall), "mrr": as_interval(mrr)}}}}


def test_boosting_is_kept_only_when_the_back_test_says_it_is_better():
    assert choose_kind(_difference((0.02, -0.01, 0.05), (0.03, 0.01, 0.06)))[0] == "boosted"
    kind, reason = choose_kind(_difference((0.02, -0.01, 0.05), (0.03, -0.01, 0.06)))  # MRR interval spans 0
    assert kind == "logistic" and "not kept" in reason and "MRR +0.030 [-0.010, +0.060]" in reason
    assert choose_kind(_difference((-0.01, -0.05, 0.02), (0.05, 0.02, 0.08)))[0] == "logistic"
    assert choose_kind({"overall": {}})[0] == "logistic"


def test_backtest_compares_boosting_with_logistic_paired():
    report = backtest(worlds.legal_world(), COMPARED, n_boot=50, min_train_queries=4)
    overall = report["overall"]
    assert {"logistic", "boosted", "baseline", "nearest"} <= set(overall["methods"])
    assert set(overall["versus_logistic"]) >= {"boosted", "baseline", "nearest"}
    assert "logistic" not in overall["versus_logistic"]


def test_the_ranking_model_is_kept_only_when_the_back_test_has_it_no_worse():
    as_interval = lambda t: dict(zip(("mean", "low", "high"), t))  # noqa: E731

    def report(recall, mrr):
        boosted = {"recall_at_k": as_interval((-0.01, -0.03, 0.01)), "mrr": as_interval((-0.07, -0.1, -0.04))}
        versus = {"boosted": boosted, "listwise": {"recall_at_k": as_interval(recall), "mrr": as_interval(mrr)}}
        return {"overall": {"versus_logistic": versus}}

    kind, reason = choose_kind(report((0.046, 0.025, 0.069), (0.010, -0.008, 0.030)))
    assert kind == "listwise" and reason.startswith("rule-anchored ranking model kept")
    assert choose_kind(report((-0.01, -0.03, 0.01), (0.02, 0.0, 0.04)))[0] == "logistic"
    assert choose_kind(report((0.01, -0.01, 0.03), (-0.01, -0.03, 0.01)))[0] == "logistic"
