import numpy as np
import pytest

from matchmaker.core.baselines import rule
from matchmaker.core.graph import OrgIndex, Snapshot
from tests.support import worlds


@pytest.fixture(scope="module")
def snap():
    return Snapshot(OrgIndex(worlds.legal_world()), 2015)


def test_rule_scores_by_hand(snap):
    # 14 asks for legal partners in 2015. 13 and 15 are its neighbours at the same distance, both districts;
    # 13 is in its county (TC1), 15 is not but already shares ICT with 14 (H14, 2008); 20 is a neighbour
    # below in TC1.
    candidates = np.array([13, 15, 20, 35])
    km = snap.index.distances_from(14)[candidates]
    score = rule(snap, 14, candidates, "legal-democratic", None)
    by_hand = -np.log1p(km) + np.array([1 + 0.5 + 0 + 1, 0 + 0.5 + 2 + 1, 1 + 0.5 + 0 + 1, 0 + 0 + 0 + 1])
    assert score == pytest.approx(by_hand, abs=1e-6)
    assert score[1] - score[0] == pytest.approx(1.0, abs=1e-6)  # +2 partners, -1 county
