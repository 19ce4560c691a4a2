import logging
from itertools import combinations

import numpy as np

from matchmaker.core.artefact import write_artefact
from matchmaker.core.coalitions import coalitions, pairwise_matrix
from matchmaker.core.recommend import Engine
from matchmaker.core.train import train_artefact
from matchmaker.services import recommendations as service
from matchmaker.services.cache import AppCache
from tests.support import worlds


def test_missing_artefact_falls_back_with_a_reason(tmp_path, caplog):
    cache = AppCache()
    with caplog.at_level(logging.WARNING):
        out = service.recommend(
            cache,
            worlds.legal_world(),
            worlds.code(14),
            "legal-democratic",
            top=3,
            as_of_year=2020,
            model_path=str(tmp_path / "none.json"),
        )
    assert out["fallback"] is True and "no model artefact" in out["fallback_reason"]
    assert len(out["candidates"]) == 3 and out["candidates"][0]["rank"] == 1
    assert "no model artefact" in caplog.text


def test_corrupt_artefact_falls_back_and_valid_one_is_used(tmp_path):
    cache = AppCache()
    dataset = worlds.legal_world()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert service.recommend(cache, dataset, worlds.code(14), "legal-democratic", model_path=str(bad))["fallback"]
    good = tmp_path / "good.json"
    write_artefact(good, train_artefact(dataset, evaluate=False))
    out = service.recommend(
        cache, lambda: dataset, worlds.code(14), "legal-democratic", as_of_year=2020, model_path=str(good)
    )
    assert out["fallback"] is False and out["model"] == "logistic"
    card = service.model_card(cache, dataset, str(good))
    assert card["training"]["fingerprint"].startswith("sha256:") and card["features"]


def test_join_existing_and_coalitions_are_plain_dicts(tmp_path):
    cache = AppCache()
    dataset, path = worlds.legal_world(), str(tmp_path / "none.json")
    joined = service.join_existing(
        cache, dataset, worlds.code(14), "waste-environment", as_of_year=2020, model_path=path
    )
    assert joined["arrangements"] and all(worlds.code(14) not in a["member_codes"] for a in joined["arrangements"])
    groups = service.coalitions(cache, dataset, worlds.code(14), "legal-democratic", as_of_year=2020, model_path=path)
    assert {g["size"] for g in groups["coalitions"]} == {3, 4, 5}
    assert all(g["member_codes"][0] == worlds.code(14) for g in groups["coalitions"])


def test_coalitions_match_a_plain_search_over_every_group():
    engine = Engine(worlds.legal_world())
    scored = engine.score(worlds.code(14), "legal-democratic", 2020)
    members = np.concatenate([[scored.council], scored.candidates[scored.order()[:10]]])
    sym = pairwise_matrix(engine, scored.snapshot, members, "legal-democratic")
    expected = []
    for size in (3, 4, 5):
        groups = []
        for rest in combinations(range(1, 11), size - 1):
            pairs = [sym[a, b] for a, b in combinations((0, *rest), 2)]
            groups.append((-round(float(np.mean(pairs)), 4), -round(float(min(pairs)), 4), rest))
        expected += [[engine.index.codes[members[k]] for k in (0, *rest)] for *_, rest in sorted(groups)[:2]]
    found = coalitions(engine, worlds.code(14), "legal-democratic", as_of=2020)
    assert [g["member_codes"] for g in found] == expected
    assert all(g["weakest_pair_score"] <= g["score"] for g in found)


def test_savings_evidence_is_built_once_per_dataset():
    cache = AppCache()
    dataset = worlds.legal_world()
    first = service.savings_index(cache, dataset)
    assert service.savings_index(cache, lambda: dataset) is first
    out = service.estimate_savings(cache, dataset, [worlds.code(14), worlds.code(15)], "legal-democratic")
    assert out["status"] == "not_enough_evidence" and out["rests_on"] is None
