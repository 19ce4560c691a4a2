"""Calibrated fit: what share of past suggestions with a score this strong became partners.

Learnt on the back-test folds (each pair scored by a model fitted only on earlier years), so the
rate is out of sample: pairs are put in order of score, grouped into bins of at least
``MIN_PAIRS``, and the bins' partner rates made non-decreasing with isotonic regression
(scikit-learn). A rate is shrunk towards the overall one, (partners + rate) / (pairs + 1) per step,
so a step is never stated as certain. Stored as JSON in the artefact's model section.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_PAIRS = 200
BAND_WIDTH = 0.1


@dataclass
class Calibration:
    lower: np.ndarray  # each step's lowest score, ascending
    rates: np.ndarray  # partner rate of each step, non-decreasing
    pairs: int
    positives: int

    def rate(self, scores: np.ndarray) -> np.ndarray:
        step = np.searchsorted(self.lower, np.asarray(scores, float), side="right") - 1
        return self.rates[np.clip(step, 0, len(self.rates) - 1)]

    def to_dict(self) -> dict:
        return {
            "method": "isotonic",
            "lower": [float(f"{x:.8g}") for x in self.lower],
            "rates": [float(f"{x:.6g}") for x in self.rates],
            "pairs": self.pairs,
            "positives": self.positives,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Calibration":
        lower, rates = np.asarray(data["lower"], float), np.asarray(data["rates"], float)
        if (
            len(lower) == 0
            or len(lower) != len(rates)
            or np.any(np.diff(lower) <= 0)
            or np.any(np.diff(rates) < 0)
            or np.any((rates <= 0) | (rates >= 1))
        ):
            raise ValueError("calibration steps must be ascending scores with non-decreasing rates in (0, 1)")
        return cls(lower, rates, int(data["pairs"]), int(data["positives"]))

    @classmethod
    def fit(cls, scores: np.ndarray, labels: np.ndarray, min_pairs: int = MIN_PAIRS) -> "Calibration":
        from sklearn.isotonic import IsotonicRegression

        order = np.argsort(scores, kind="stable")
        scores, labels = np.asarray(scores, float)[order], np.asarray(labels, float)[order]
        n_bins = max(1, len(scores) // min_pairs)
        bins = np.array_split(np.arange(len(scores)), n_bins)
        size = np.array([len(b) for b in bins], float)
        hits = np.array([labels[b].sum() for b in bins])
        fitted = IsotonicRegression(increasing=True).fit(np.arange(n_bins), hits / size, sample_weight=size)
        level = fitted.predict(np.arange(n_bins))
        # merge bins that isotonic regression pooled into one step
        starts = np.flatnonzero(np.r_[True, np.abs(np.diff(level)) > 1e-12])
        ends = np.r_[starts[1:], n_bins]
        overall = labels.mean() if len(labels) else 0.5
        lower, rates = [], []
        for s, e in zip(starts, ends):
            n, k = size[s:e].sum(), hits[s:e].sum()
            lower.append(scores[bins[s][0]] if s else -np.inf)
            rates.append((k + overall) / (n + 1.0))
        lower_arr = np.array(lower)
        lower_arr[0] = -1e9  # JSON has no infinity
        return cls(lower_arr, np.maximum.accumulate(np.array(rates)), int(len(labels)), int(labels.sum()))


def in_words(rate: float) -> str:
    """'about 1 in 3', never a bare percentage and never certainty."""
    if rate < 0.01:
        return "fewer than 1 in 100"
    if rate < 0.35:  # up to 'about 1 in 3'; above it tenths read better ('about 4 in 10', not '1 in 2')
        return f"about 1 in {max(3, round(1 / rate))}"
    return f"about {min(9, round(rate * 10))} in 10"


def fit_sentence(rate: float) -> str:
    return f"In past years {in_words(rate)} suggestions this strong became partners"


def bands(stated: np.ndarray, labels: np.ndarray, width: float = BAND_WIDTH) -> list[dict]:
    """Stated against observed partner rates in bands of stated rate (0-0.1, 0.1-0.2, ...)."""
    stated, labels = np.asarray(stated, float), np.asarray(labels, float)
    band = np.minimum((stated / width).astype(int), int(round(1 / width)) - 1)
    out = []
    for b in np.unique(band):
        chosen = band == b
        out.append(
            {
                "band": f"{b * width:.1f}-{(b + 1) * width:.1f}",
                "pairs": int(chosen.sum()),
                "stated": round(float(stated[chosen].mean()), 4),
                "observed": round(float(labels[chosen].mean()), 4),
            }
        )
    return out
