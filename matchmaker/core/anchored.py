"""A model anchored on the hand-tuned rule: score = rule + intercept + learnt corrections.

The rule (``baselines.rule``) is a strong prior a person could write down; the corrections are an
L2-penalised logistic fit on standardised features plus two the rule relies on (same tier, already
partners in another service), with the rule's score as a fixed offset. With a large penalty the
model *is* the rule; the back-test says how far the data moves it. Contributions are returned per
feature of ``FEATURES`` (the two extra terms fold into the features they are made from), so
reasons and the not-a-reason list cover it unchanged.
"""

from __future__ import annotations

import numpy as np

from .features import FEATURE_NAMES, FEATURE_POS
from .model import LinearModel, ModelArtefactError, _float, _float_list, weighted_scaling

SAME_TIER = tuple(FEATURE_POS[f"tier_{name}"] for name in ("district_district", "county_county", "unitary_unitary"))
RULE = {"log_distance": -1.0, "same_county": 1.0, "neighbour": 0.5}  # + 2 shares any + 1 same tier
EXTRA = ("same_tier", "shares_any")
SHARES_OTHER = FEATURE_POS["shares_other"]


def extra_columns(X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, float)
    same_tier = X[:, list(SAME_TIER)].sum(axis=1)
    shares_any = (X[:, SHARES_OTHER] > 0).astype(float)
    return np.column_stack([same_tier, shares_any])


def rule_terms(X: np.ndarray) -> np.ndarray:
    """The rule's score split over FEATURES' columns (rows x features)."""
    X = np.asarray(X, float)
    out = np.zeros(X.shape)
    for name, weight in RULE.items():
        out[:, FEATURE_POS[name]] = weight * X[:, FEATURE_POS[name]]
    extra = extra_columns(X)
    out[:, FEATURE_POS["shares_other"]] += 2.0 * extra[:, 1]
    for k in SAME_TIER:  # at most one same-tier flag is 1 in a row
        out[:, k] += X[:, k]
    return out


class AnchoredModel(LinearModel):
    kind = "anchored"

    def __init__(self, alpha: float = 0.1, extra_coef=None, extra_mean=None, extra_scale=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.extra_coef = np.zeros(len(EXTRA)) if extra_coef is None else np.asarray(extra_coef, float)
        self.extra_mean = np.zeros(len(EXTRA)) if extra_mean is None else np.asarray(extra_mean, float)
        self.extra_scale = np.ones(len(EXTRA)) if extra_scale is None else np.asarray(extra_scale, float)

    def _design(self, X: np.ndarray) -> np.ndarray:
        return np.hstack([self._z(X), (extra_columns(X) - self.extra_mean) / self.extra_scale])

    def fit(self, X, y, weight=None):
        from scipy.optimize import minimize

        X, y = np.asarray(X, float), np.asarray(y, float)
        w = np.ones(len(y)) if weight is None else np.asarray(weight, float)
        w = w / w.sum()
        self.mean, self.scale = weighted_scaling(X, w)
        self.extra_mean, self.extra_scale = weighted_scaling(extra_columns(X), w)
        D = self._design(X)
        offset = rule_terms(X).sum(axis=1)

        def loss(theta):
            s = offset + theta[0] + D @ theta[1:]
            p = 0.5 * (1.0 + np.tanh(0.5 * s))
            value = np.sum(w * (np.logaddexp(0.0, s) - y * s)) + 0.5 * self.alpha * theta[1:] @ theta[1:]
            g = w * (p - y)
            return value, np.r_[g.sum(), D.T @ g + self.alpha * theta[1:]]

        theta = minimize(loss, np.zeros(D.shape[1] + 1), jac=True, method="L-BFGS-B").x
        n = len(self.feature_names)
        self.intercept, self.coef, self.extra_coef = float(theta[0]), theta[1 : n + 1], theta[n + 1 :]
        return self

    def score(self, X):
        X = np.asarray(X, float)
        constant, weights, shares_any_weight = self._linear_form()
        return constant + X @ weights + shares_any_weight * (X[:, SHARES_OTHER] > 0)

    def _linear_form(self) -> tuple[float, np.ndarray, float]:
        """The score written as constant + X @ weights + shares_any_weight * shares_any (the one
        term not linear in X): the rule, the standardised corrections and the extra terms folded
        together once per set of parameters, instead of for every row of every query."""
        key = b"".join(
            np.asarray(a, float).tobytes()
            for a in (
                self.intercept,
                self.coef,
                self.mean,
                self.scale,
                self.extra_coef,
                self.extra_mean,
                self.extra_scale,
            )
        )
        kept = getattr(self, "_kept_form", None)
        if kept is not None and kept[0] == key:
            return kept[1]
        extra_weights = self.extra_coef / self.extra_scale
        weights = self._explain_weights()
        weights[list(SAME_TIER)] += extra_weights[0]
        constant = self.intercept - self.mean @ (self.coef / self.scale) - self.extra_mean @ extra_weights
        form = (float(constant), weights, 2.0 + float(extra_weights[1]))
        self._kept_form = (key, form)  # one attribute: a thread sees the key and its form together
        return form

    def explain(self, X):
        X = np.asarray(X, float)
        tier_flag = X[:, list(SAME_TIER)]
        same_tier, shares_any = tier_flag.sum(axis=1), (X[:, SHARES_OTHER] > 0).astype(float)
        same_tier_term = (same_tier - self.extra_mean[0]) / self.extra_scale[0] * self.extra_coef[0]
        shares_any_term = (shares_any - self.extra_mean[1]) / self.extra_scale[1] * self.extra_coef[1]
        out = X * self._explain_weights() + self.mean * (-self.coef / self.scale)  # the terms linear in X
        out[:, list(SAME_TIER)] += tier_flag * same_tier_term[:, None]  # the same-tier term sits on the pair's own flag
        out[:, SHARES_OTHER] += 2.0 * shares_any + shares_any_term
        # a row with no same-tier flag still carries the term's constant part: put it on the first flag
        out[:, SAME_TIER[0]] += (1.0 - same_tier) * same_tier_term
        return out

    def _explain_weights(self) -> np.ndarray:
        """Per feature, the weight of its terms linear in X: the rule's and the correction's."""
        weights = self.coef / self.scale
        for name, weight in RULE.items():
            weights[FEATURE_POS[name]] += weight
        weights[list(SAME_TIER)] += 1.0
        return weights

    def params(self):
        return {
            **super().params(),
            "alpha": self.alpha,
            "extra_coef": self.extra_coef.tolist(),
            "extra_mean": self.extra_mean.tolist(),
            "extra_scale": self.extra_scale.tolist(),
        }

    @classmethod
    def from_params(cls, params, feature_names):
        base = LinearModel.from_params(params, feature_names)
        extra = {k: _float_list(params, k, len(EXTRA)) for k in ("extra_coef", "extra_mean", "extra_scale")}
        if not np.all(np.asarray(extra["extra_scale"]) > 0):
            raise ModelArtefactError("scaling values must be positive")
        return cls(
            alpha=_float(params, "alpha"),
            coef=base.coef,
            intercept=base.intercept,
            mean=base.mean,
            scale=base.scale,
            feature_names=feature_names,
            **extra,
        )


assert set(RULE) <= set(FEATURE_NAMES)


class ListwiseModel(AnchoredModel):
    """The same score, fitted as a ranking: for each training query a softmax over its candidates
    (sampled negatives weighted to stand for all), maximising the positives' share."""

    kind = "listwise"
    wants_groups = True

    def fit(self, X, y, weight=None, groups=None):
        from scipy.optimize import minimize

        if groups is None:
            return super().fit(X, y, weight)
        X, y = np.asarray(X, float), np.asarray(y, float)
        w = np.ones(len(y)) if weight is None else np.asarray(weight, float)
        groups = np.asarray(groups, np.int64)
        self.mean, self.scale = weighted_scaling(X, w)
        self.extra_mean, self.extra_scale = weighted_scaling(extra_columns(X), w)
        D, offset, log_w = self._design(X), rule_terms(X).sum(axis=1), np.log(w)
        n_groups = int(groups.max()) + 1
        positives = np.bincount(groups, weights=y, minlength=n_groups)
        query_weight = np.bincount(groups, weights=w * y, minlength=n_groups) / np.maximum(positives, 1)
        total = query_weight.sum()
        pos_share = np.where(y > 0, query_weight[groups] / np.maximum(positives[groups], 1), 0.0) / total

        def loss(beta):
            s = offset + D @ beta
            a = s + log_w
            top = np.full(n_groups, -np.inf)
            np.maximum.at(top, groups, a)
            e = np.exp(a - top[groups])
            norm = np.bincount(groups, weights=e, minlength=n_groups)
            lse = top + np.log(norm)
            soft = e / norm[groups]
            value = (query_weight @ lse) / total - pos_share @ s + 0.5 * self.alpha * beta @ beta
            grad = D.T @ (soft * query_weight[groups] / total - pos_share) + self.alpha * beta
            return value, grad

        beta = minimize(loss, np.zeros(D.shape[1]), jac=True, method="L-BFGS-B").x
        n = len(self.feature_names)
        self.intercept, self.coef, self.extra_coef = 0.0, beta[:n], beta[n:]
        return self
