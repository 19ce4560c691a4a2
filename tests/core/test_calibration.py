import json
from pathlib import Path

import numpy as np
import pytest

from matchmaker.core.artefact import model_from_artefact
from matchmaker.core.calibration import Calibration, bands, fit_sentence, in_words
from matchmaker.core.csv_dataset import load_directory
from matchmaker.core.evaluation import backtest, pooled_pairs
from matchmaker.core.train import MODEL_FACTORIES

ROOT = Path(__file__).resolve().parents[2]


def test_rates_are_learnt_in_order_of_score_and_never_certain():
    # 400 pairs: scores 0..399; the top 200 became partners half the time, the bottom 200 never
    scores = np.arange(400.0)
    labels = np.r_[np.zeros(200), np.tile([1.0, 0.0], 100)]
    calibration = Calibration.fit(scores, labels, min_pairs=100)
    low, high = calibration.rate(np.array([50.0, 350.0]))
    assert low == pytest.approx((0 + 0.25) / 201) and high == pytest.approx((100 + 0.25) / 201)
    assert calibration.rate(np.array([1e6]))[0] < 1 and calibration.rate(np.array([-1e6]))[0] > 0
    assert Calibration.from_dict(json.loads(json.dumps(calibration.to_dict()))).rate(scores).tolist() == pytest.approx(
        calibration.rate(scores).tolist()
    )


def test_rates_in_words_a_person_can_check():
    assert fit_sentence(0.34) == "In past years about 1 in 3 suggestions this strong became partners"
    assert [in_words(r) for r in (0.004, 0.05, 0.2, 0.41, 0.5, 0.97)] == [
        "fewer than 1 in 100",
        "about 1 in 20",
        "about 1 in 5",
        "about 4 in 10",
        "about 5 in 10",
        "about 9 in 10",
    ]


@pytest.mark.slow
def test_the_shipped_calibration_holds_on_the_back_test_in_every_band():
    """Each band of stated rate (0-0.1, 0.1-0.2, ...) is within 0.1 of the partner rate observed
    among the back-test's out-of-sample pairs."""
    artefact = json.loads((ROOT / "models" / "model.json").read_text())
    model = model_from_artefact(artefact)
    kind = artefact["model"]["kind"]
    pairs: dict[str, list] = {}
    backtest(load_directory(ROOT / "data"), {kind: MODEL_FACTORIES[kind]}, n_boot=100, pairs=pairs)
    scores, labels = pooled_pairs(pairs, kind)
    table = bands(model.calibration.rate(scores), labels)
    assert len(table) >= 3
    for band in table:
        assert abs(band["stated"] - band["observed"]) <= 0.1, band
    assert model.calibration.rates.max() < 0.9  # never near "100%"
