"""Scoring models: a small fit / score / explain interface and the linear models.

Scores are log-odds; ``explain`` splits a score into per-feature contributions that add up to
``score - intercept`` so reasons can be read off them. Artefacts are JSON (see ``artefact``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

import numpy as np

from .calibration import Calibration
from .features import FEATURE_NAMES


class ModelArtefactError(ValueError):
    """A model artefact that cannot be trusted: unreadable, corrupt or made for other features."""


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, float)))


class Model(ABC):
    kind: ClassVar[str]
    feature_names: list[str]
    calibration: Calibration | None = None  # learnt on the back-test folds; set by training or the artefact

    @abstractmethod
    def fit(self, X: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None) -> "Model": ...

    @abstractmethod
    def score(self, X: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def explain(self, X: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def params(self) -> dict[str, Any]: ...

    @classmethod
    @abstractmethod
    def from_params(cls, params: dict[str, Any], feature_names: list[str]) -> "Model": ...

    def probability(self, X: np.ndarray) -> np.ndarray:
        """The calibrated partner rate of each row's score; the plain sigmoid when not calibrated."""
        return self.rate(self.score(X))

    def rate(self, scores: np.ndarray) -> np.ndarray:
        return self.calibration.rate(scores) if self.calibration is not None else sigmoid(scores)


class LinearModel(Model):
    """score = intercept + sum_k coef_k * (x_k - mean_k) / scale_k."""

    kind = "linear"

    def __init__(self, coef=None, intercept: float = 0.0, mean=None, scale=None, feature_names=None):
        self.feature_names = list(feature_names or FEATURE_NAMES)
        n = len(self.feature_names)
        self.coef = np.zeros(n) if coef is None else np.asarray(coef, float)
        self.mean = np.zeros(n) if mean is None else np.asarray(mean, float)
        self.scale = np.ones(n) if scale is None else np.asarray(scale, float)
        self.intercept = float(intercept)

    def fit(self, X, y, weight=None):
        return self

    def _z(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, float) - self.mean) / self.scale

    def score(self, X):
        return self.intercept + self._z(X) @ self.coef

    def explain(self, X):
        return self._z(X) * self.coef

    def params(self):
        return {
            "intercept": self.intercept,
            "coef": self.coef.tolist(),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
        }

    @classmethod
    def from_params(cls, params, feature_names):
        n = len(feature_names)
        arrays = {k: _float_list(params, k, n) for k in ("coef", "mean", "scale")}
        if not np.all(np.asarray(arrays["scale"]) > 0):
            raise ModelArtefactError("scaling values must be positive")
        return cls(intercept=_float(params, "intercept"), feature_names=feature_names, **arrays)


class LogisticModel(LinearModel):
    """L2-regularised logistic regression on standardised features."""

    kind = "logistic"

    def __init__(self, C: float = 0.003, **kwargs):
        super().__init__(**kwargs)
        self.C = C

    def fit(self, X, y, weight=None):
        from sklearn.linear_model import LogisticRegression

        self.mean, self.scale = weighted_scaling(X, weight)
        reg = LogisticRegression(C=self.C, max_iter=5000)
        reg.fit(self._z(X).astype(np.float32), y, sample_weight=weight)
        self.coef, self.intercept = reg.coef_[0].astype(float), float(reg.intercept_[0])
        return self

    def params(self):
        return {**super().params(), "C": self.C}

    @classmethod
    def from_params(cls, params, feature_names):
        model = super().from_params(params, feature_names)
        model.C = _float(params, "C")
        return model


def weighted_scaling(X: np.ndarray, weight: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and standard deviation per column; constant columns keep scale 1."""
    w = np.ones(len(X)) if weight is None else np.asarray(weight, float)
    mean = np.average(X, axis=0, weights=w)
    std = np.sqrt(np.average((X - mean) ** 2, axis=0, weights=w))
    return mean, np.where(std > 1e-9, std, 1.0)


BASELINE_WEIGHTS = {"log_distance": -1.0, "neighbour": 0.7, "same_county": 0.5, "experience": 0.4}


class BaselineModel(LinearModel):
    """Documented fallback without training: nearer is better, neighbours and the same county
    first, and candidates already running the service get a lift."""

    kind = "baseline"

    def __init__(self, feature_names=None, **kwargs):
        names = list(feature_names or FEATURE_NAMES)
        coef = [BASELINE_WEIGHTS.get(name, 0.0) for name in names]
        super().__init__(coef=coef, intercept=0.0, feature_names=names)

    @classmethod
    def from_params(cls, params, feature_names):
        return cls(feature_names=feature_names)


def _float(params: dict, key: str) -> float:
    value = params.get(key)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not np.isfinite(value):
        raise ModelArtefactError(f"parameter {key!r} must be a finite number")
    return float(value)


def _float_list(params: dict, key: str, n: int) -> list[float]:
    value = params.get(key)
    if not isinstance(value, list) or len(value) != n:
        raise ModelArtefactError(f"parameter {key!r} must be a list of {n} numbers")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in value):
        raise ModelArtefactError(f"parameter {key!r} holds a value that is not a finite number")
    return [float(v) for v in value]
