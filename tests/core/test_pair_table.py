"""The pair table gives the features a query would compute, value for value, and the engine's
answers from it equal a straightforward computation (known answers)."""

from itertools import count

import numpy as np
import pytest

from matchmaker.core import pair_table
from matchmaker.core.coalitions import join_existing
from matchmaker.core.features import FEATURE_POS, query_features, reverse_features
from matchmaker.core.pair_table import PairTable
from matchmaker.core.reasons import GROUPS, MIN_CONTRIBUTION, reason_text
from matchmaker.core.recommend import Engine
from matchmaker.core.train import fit_model
from tests.support import worlds

QUERIES = [
    (14, "legal-democratic", 2020),
    (0, "waste-environment", 2020),
    (35, "ict-digital", None),
    (14, "management", 2008),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    dataset = worlds.legal_world()
    return Engine(dataset, fit_model(dataset)[0])


@pytest.mark.parametrize("dataset", [worlds.legal_world(), worlds.abolished_world()])
@pytest.mark.parametrize("year", [2006, 2020, None])
def test_table_rows_are_the_features_of_a_query(dataset, year):
    engine = Engine(dataset)
    snap = engine.snapshot(year)
    table = PairTable(snap)
    for i in snap.current_positions:
        for service in engine.index.services:
            candidates = snap.candidates(i, service)
            plain, read = query_features(snap, i, candidates, service), table.query(i, candidates, service)
            assert np.array_equal(plain.X, read.X)
            assert np.array_equal(plain.raw["distance_km"], read.raw["distance_km"])
            assert np.array_equal(
                reverse_features(snap, i, candidates, service).X, table.reverse(i, candidates, service).X
            )


def plain_reasons(contrib: np.ndarray, snap, i: int, j: int, service: str) -> list[dict]:
    groups = {g: float(sum(contrib[FEATURE_POS[f]] for f in feats)) for g, feats in GROUPS.items()}
    strongest = sorted(groups.items(), key=lambda kv: -kv[1])[:3]
    return [
        {"factor": g, "contribution": round(v, 3), "text": reason_text(g, snap, i, j, service)}
        for g, v in strongest
        if v > MIN_CONTRIBUTION
    ]


def plain_recommend(engine: Engine, code: str, service: str, top: int, year: int | None) -> list[dict]:
    """Every candidate's features and scores computed afresh, reasons one candidate at a time."""
    snap = engine.snapshot(year)
    i = engine.index.pos[code]
    candidates = snap.candidates(i, service)
    block = query_features(snap, i, candidates, service)
    scores = engine.model.score(block.X)
    forward = engine.model.rate(scores)
    order = np.lexsort((candidates, -scores))[:top]
    back = engine.model.rate(engine.model.score(reverse_features(snap, i, candidates[order], service).X))
    typical = engine.model.explain(np.median(block.X, axis=0)[None, :])[0]
    rows = []
    for rank, k, b in zip(count(1), order, back):
        j, f = int(candidates[k]), float(forward[k])
        rows.append(
            {
                "gss_code": engine.index.codes[j],
                "name": engine.index.orgs[j].name,
                "rank": rank,
                "score": round(f, 4),
                "reciprocal_score": round(float(b), 4),
                "combined_score": round(float(np.sqrt(f * b)), 4),
                "fit": engine.fit_text(f),
                "distance_km": round(float(block.raw["distance_km"][k]), 1),
                "reasons": plain_reasons(engine.model.explain(block.X[k : k + 1])[0] - typical, snap, i, j, service),
            }
        )
    return rows


@pytest.mark.parametrize("k, service, year", QUERIES)
def test_recommendations_equal_a_straightforward_computation(engine, k, service, year):
    found = [s.to_dict() for s in engine.recommend(worlds.code(k), service, top=8, as_of=year)]
    assert found == plain_recommend(engine, worlds.code(k), service, 8, year)
    assert any(row["reasons"] for row in found)


@pytest.mark.parametrize("k, service, year", QUERIES)
def test_answers_are_the_same_without_the_table(engine, monkeypatch, k, service, year):
    code = worlds.code(k)
    expected = [
        [s.to_dict() for s in engine.recommend(code, service, top=8, as_of=year, order_by=order)]
        for order in ("score", "combined")
    ]
    assert engine.table(engine.snapshot(year)) is not None
    joined = join_existing(engine, code, service, as_of=year)
    monkeypatch.setattr(pair_table, "MAX_TABLE_BYTES", 0)
    monkeypatch.setattr("matchmaker.core.recommend.MAX_TABLE_BYTES", 0)
    plain = Engine(engine.dataset, engine.model)
    assert plain.table(plain.snapshot(year)) is None
    for order, rows in zip(("score", "combined"), expected):
        assert [s.to_dict() for s in plain.recommend(code, service, top=8, as_of=year, order_by=order)] == rows
    assert join_existing(plain, code, service, as_of=year) == joined
