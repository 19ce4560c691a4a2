from pathlib import Path

import numpy as np
import pytest

from matchmaker.core.csv_dataset import load_directory
from matchmaker.core.features import FEATURE_NAMES
from matchmaker.core.graph import OrgIndex, Snapshot
from matchmaker.core.model import LinearModel
from matchmaker.core.reasons import GROUPS, NOT_REASONS, reason_text
from matchmaker.core.recommend import Engine
from tests.support import worlds

DATA = Path(__file__).resolve().parents[2] / "data"
OXFORDSHIRE, CHERWELL = "E10000025", "E07000177"


def test_every_feature_is_in_one_reason_group_or_listed_as_none():
    grouped = [f for feats in GROUPS.values() for f in feats]
    assert len(grouped) == len(set(grouped)), "a feature in two reason groups"
    assert not set(grouped) & set(NOT_REASONS), "a feature both a reason and not one"
    assert sorted(grouped + list(NOT_REASONS)) == sorted(FEATURE_NAMES)
    assert all(why for why in NOT_REASONS.values())


def test_an_ended_partnership_names_itself_with_its_years():
    # data/arrangements.csv R003: Cherwell and Oxfordshire partnership, management and regulatory, 2018-2022,
    # ended; both were also in the Oxfordshire Waste Partnership, ended, years not known
    index = OrgIndex(load_directory(DATA), present=2026)
    snap = Snapshot(index, 2026)
    i, j = index.pos[OXFORDSHIRE], index.pos[CHERWELL]
    assert reason_text("past_ended", snap, i, j, "management") == (
        "Shared chief executive and management teams with you in Cherwell and Oxfordshire partnership, "
        "2018–2022 (ended); and 1 other ended arrangement"
    )


def test_contributions_are_measured_against_a_typical_candidate():
    # a model that only counts the shared-boundary flag: the typical candidate of 14 is no neighbour,
    # so a neighbour's proximity contribution is the whole coefficient and a non-neighbour's is zero
    coef = np.zeros(len(FEATURE_NAMES))
    coef[FEATURE_NAMES.index("neighbour")] = 2.0
    engine = Engine(worlds.legal_world(), LinearModel(coef=coef, mean=np.full(len(coef), 0.3)))
    scored = engine.score(worlds.code(14), "management", 2020)
    rows = np.flatnonzero(np.isin(scored.candidates, [13, 35]))
    contrib = engine.contributions(scored.features.X, rows)
    assert contrib[:, FEATURE_NAMES.index("neighbour")].tolist() == pytest.approx([2.0, 0.0])
    assert np.count_nonzero(contrib) == 1
