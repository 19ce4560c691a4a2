"""Known answers every model class must give (one shared mixin, one subclass per model)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from matchmaker.core.artefact import model_from_artefact, to_artefact
from matchmaker.core.boosted import BoostedModel
from matchmaker.core.graph import OrgIndex
from matchmaker.core.model import BaselineModel, LogisticModel, Model
from matchmaker.core.recommend import Engine, QueryError
from matchmaker.core.training_examples import SnapshotCache, formation_queries, training_set
from tests.support import worlds

TRAINING = {"fingerprint": "sha256:" + "0" * 64}


def fitted(model: Model, dataset) -> Model:
    cache = SnapshotCache(OrgIndex(dataset))
    train = training_set(cache, formation_queries(cache), max_negatives=None)
    return model.fit(train.X, train.y, train.weight)


class ModelContract:
    def make_model(self) -> Model:
        raise NotImplementedError

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls):
        dataset = worlds.legal_world()
        return Engine(dataset, fitted(cls.make_model(cls), dataset))

    def codes(self, engine, council=14, service="legal-democratic", year=2020, top=40):
        return [s.code for s in engine.recommend(worlds.code(council), service, top=top, as_of=year)]

    def test_neighbour_running_service_ranks_above_distant_one(self, engine):
        codes = self.codes(engine)
        assert codes.index(worlds.code(15)) < codes.index(worlds.code(35))

    def test_existing_partner_in_service_is_excluded(self, engine):
        codes = self.codes(engine, top=100)
        assert worlds.code(8) not in codes and worlds.code(14) not in codes
        assert worlds.code(8) in self.codes(engine, service="management", top=100)

    def test_as_of_query_ignores_later_arrangements(self, engine):
        snap_2016, snap_2020 = engine.snapshot(2016), engine.snapshot(2020)
        i20, i26 = engine.index.pos[worlds.code(20)], engine.index.pos[worlds.code(26)]
        assert i26 in snap_2016.candidates(i20, "legal-democratic")
        assert i26 not in snap_2020.candidates(i20, "legal-democratic")

    def test_abolished_council_never_suggested_and_successor_inherits(self):
        dataset = worlds.abolished_world()
        engine = Engine(dataset, fitted(self.make_model(), dataset))
        today = self.codes(engine, council=10, service="management", year=2020, top=100)
        assert worlds.code(16) not in today and worlds.code(17) in today
        assert worlds.code(17) not in self.codes(engine, council=10, year=2020, top=100)
        assert worlds.code(16) in self.codes(engine, council=10, service="management", year=2013, top=100)
        with pytest.raises(QueryError, match="did not exist"):
            engine.recommend(worlds.code(16), "management", as_of=2020)

    def test_first_reason_is_the_strongest_contribution(self, engine):
        for suggestion in engine.recommend(worlds.code(14), "legal-democratic", top=5, as_of=2020):
            values = [r["contribution"] for r in suggestion.reasons]
            assert values == sorted(values, reverse=True)

    def test_scores_and_ranks_are_ordered(self, engine):
        found = engine.recommend(worlds.code(14), "legal-democratic", top=10, as_of=2020)
        assert [s.rank for s in found] == list(range(1, 11))
        assert all(a.score >= b.score for a, b in zip(found, found[1:]))

    def test_explain_adds_up_to_the_score(self, engine):
        snap = engine.snapshot(2020)
        i = engine.index.pos[worlds.code(14)]
        from matchmaker.core.features import query_features

        X = query_features(snap, i, snap.candidates(i, "legal-democratic"), "legal-democratic").X
        model = engine.model
        base = model.intercept_of() if isinstance(model, BoostedModel) else model.intercept
        assert np.allclose(model.explain(X).sum(axis=1) + base, model.score(X))

    def test_artefact_round_trips_exactly(self, engine):
        artefact = to_artefact(engine.model, TRAINING)
        again = model_from_artefact(json.loads(json.dumps(artefact)))
        assert again.params() == engine.model.params()
        X = np.random.default_rng(1).normal(size=(50, len(engine.model.feature_names)))
        assert np.array_equal(again.score(X), engine.model.score(X))


class TestLogistic(ModelContract):
    def make_model(self):
        return LogisticModel(C=1.0)


class TestBoosted(ModelContract):
    def make_model(self):
        return BoostedModel(n_estimators=30, max_depth=2, learning_rate=0.2)


class TestBaseline(ModelContract):
    def make_model(self):
        return BaselineModel()


def test_explanation_names_the_dominant_feature():
    from matchmaker.core.features import FEATURE_NAMES
    from matchmaker.core.model import LinearModel

    coef = [2.0 if n == "neighbour" else (-0.1 if n == "log_distance" else 0.0) for n in FEATURE_NAMES]
    engine = Engine(worlds.legal_world(), LinearModel(coef=coef))
    top = engine.recommend(worlds.code(14), "legal-democratic", top=1, as_of=2020)[0]
    assert top.reasons[0]["factor"] == "proximity"
    assert top.reasons[0]["text"].startswith("Neighbouring council, 1")
