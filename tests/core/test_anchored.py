import numpy as np
import pytest

from matchmaker.core.anchored import AnchoredModel, ListwiseModel
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
