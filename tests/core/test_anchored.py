import numpy as np
import pytest

from matchmaker.core.anchored import AnchoredModel, ListwiseModel, rule_terms
from matchmaker.core.artefact import model_from_artefact, to_artefact
from matchmaker.core.baselines import rule
from matchmaker.core.features import query_features
from matchmaker.core.graph import OrgIndex
from matchmaker.core.training_examples import SnapshotCache, formation_queries, training_set
from tests.support import worlds


@pytest.fixture(scope="module")
def world():
    cache = SnapshotCache(OrgIndex(worlds.legal_world()))
    return cache, training_set(cache, formation_queries(cache))


def query(cache, code=14, service="legal-democratic", year=2015):
    snap = cache.get(year)
    candidates = snap.candidates(code, service)
    return snap, candidates, query_features(snap, code, candidates, service).X


def test_without_corrections_the_model_is_the_rule(world):
    cache, _ = world
    snap, candidates, X = query(cache)
    km = snap.index.distances_from(14)[candidates]
    assert AnchoredModel().score(X) == pytest.approx(rule(snap, 14, candidates, "legal-democratic", None) + 1e-9 * km)


def test_a_heavy_penalty_keeps_the_rule_and_contributions_add_up(world):
    cache, train = world
    model = ListwiseModel(alpha=1e6).fit(train.X, train.y, train.weight, groups=train.groups)
    assert np.abs(np.r_[model.coef, model.extra_coef]).max() < 1e-3
    _, _, X = query(cache)
    learnt = ListwiseModel(alpha=0.3).fit(train.X, train.y, train.weight, groups=train.groups)
    assert np.abs(learnt.coef).max() > 1e-3
    assert learnt.explain(X).sum(axis=1) == pytest.approx(learnt.score(X) - learnt.intercept)


def test_the_ranking_model_travels_as_json(world):
    cache, train = world
    model = ListwiseModel(alpha=0.3).fit(train.X, train.y, train.weight, groups=train.groups)
    artefact = to_artefact(model, {"fingerprint": "sha256:" + "0" * 64})
    _, _, X = query(cache)
    assert model_from_artefact(artefact).score(X) == pytest.approx(model.score(X))


def term_by_term(model, X):
    """The score as the module's docstring writes it: rule + intercept + learnt corrections."""
    return model.intercept + rule_terms(X).sum(axis=1) + model._design(X) @ np.r_[model.coef, model.extra_coef]


def test_the_score_folded_into_one_product_is_the_sum_of_its_terms_after_every_change(world):
    cache, train = world
    _, _, X = query(cache)
    model = ListwiseModel(alpha=0.3).fit(train.X, train.y, train.weight, groups=train.groups)
    assert model.score(X) == pytest.approx(term_by_term(model, X), rel=1e-12, abs=1e-12)
    model.alpha = 0.01
    model.fit(train.X, train.y, train.weight, groups=train.groups)  # new parameters: a new fold
    assert model.score(X) == pytest.approx(term_by_term(model, X), rel=1e-12, abs=1e-12)
    model.coef[0] += 1.0  # changed in place
    model.extra_coef[1] -= 0.5
    assert model.score(X) == pytest.approx(term_by_term(model, X), rel=1e-12, abs=1e-12)
