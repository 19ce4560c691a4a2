"""Gradient-boosted trees, stored as plain arrays so the artefact stays JSON.

Contributions follow the tree path (each split adds the change in node value to the feature
it tests), so they add up exactly to ``score - base``.
"""

from __future__ import annotations

import numpy as np

from .model import Model, ModelArtefactError, _float

TREE_KEYS = ("left", "right", "feature", "threshold", "value")


def _node_values(left, right, leaf_value, weight) -> np.ndarray:
    """Internal node value = weighted mean of the leaf values below it."""
    value = np.array(leaf_value, float)
    total = np.array(weight, float)
    for node in range(len(left) - 1, -1, -1):  # children always have larger ids
        if left[node] >= 0:
            a, b = left[node], right[node]
            total[node] = total[a] + total[b]
            value[node] = (value[a] * total[a] + value[b] * total[b]) / max(total[node], 1e-12)
    return value


class BoostedModel(Model):
    kind = "boosted"

    def __init__(
        self,
        n_estimators: int = 100,
        max_depth: int = 2,
        learning_rate: float = 0.1,
        feature_names=None,
        base: float = 0.0,
        trees=None,
    ):
        from .features import FEATURE_NAMES

        self.feature_names = list(feature_names or FEATURE_NAMES)
        self.n_estimators, self.max_depth, self.learning_rate = n_estimators, max_depth, learning_rate
        self.base = base
        self.trees: list[dict[str, np.ndarray]] = trees or []

    def fit(self, X, y, weight=None):
        from sklearn.ensemble import GradientBoostingClassifier

        gb = GradientBoostingClassifier(
            n_estimators=self.n_estimators,
            max_depth=self.max_depth,
            learning_rate=self.learning_rate,
            subsample=0.5,
            random_state=0,
        )
        gb.fit(X, y, sample_weight=weight)
        self.trees = []
        for est in gb.estimators_[:, 0]:
            t = est.tree_
            leaf = t.value[:, 0, 0] * self.learning_rate
            self.trees.append(
                {
                    "left": t.children_left.astype(np.int64),
                    "right": t.children_right.astype(np.int64),
                    "feature": np.maximum(t.feature, 0).astype(np.int64),
                    "threshold": t.threshold.astype(float),
                    "value": _node_values(t.children_left, t.children_right, leaf, t.weighted_n_node_samples),
                }
            )
        self.base = float(gb.decision_function(X[:1])[0] - np.sum(self._leaf_values(X[:1])))
        return self

    def _walk(self, tree, X):
        node = np.zeros(len(X), np.int64)
        rows = np.arange(len(X))
        for _ in range(64):
            inner = tree["left"][node] >= 0
            if not inner.any():
                break
            go_left = X[rows, tree["feature"][node]] <= tree["threshold"][node]
            nxt = np.where(go_left, tree["left"][node], tree["right"][node])
            yield node, np.where(inner, nxt, node), inner
            node = np.where(inner, nxt, node)

    def _leaf_values(self, X):
        out = []
        for tree in self.trees:
            node = np.zeros(len(X), np.int64)
            for _, node, _ in self._walk(tree, X):
                pass
            out.append(tree["value"][node])
        return out

    def score(self, X):
        X = np.asarray(X, float)
        return self.base + np.sum(self._leaf_values(X), axis=0) if self.trees else np.full(len(X), self.base)

    def explain(self, X):
        X = np.asarray(X, float)
        contrib = np.zeros(X.shape)
        rows = np.arange(len(X))
        for tree in self.trees:
            for node, nxt, inner in self._walk(tree, X):
                delta = np.where(inner, tree["value"][nxt] - tree["value"][node], 0.0)
                np.add.at(contrib, (rows, tree["feature"][node]), delta)
        return contrib

    def intercept_of(self) -> float:
        return self.base + sum(float(t["value"][0]) for t in self.trees)

    def params(self):
        return {
            "base": self.base,
            "learning_rate": self.learning_rate,
            "max_depth": self.max_depth,
            "n_estimators": self.n_estimators,
            "trees": [{k: t[k].tolist() for k in TREE_KEYS} for t in self.trees],
        }

    @classmethod
    def from_params(cls, params, feature_names):
        trees = params.get("trees")
        if not isinstance(trees, list):
            raise ModelArtefactError("parameter 'trees' must be a list")
        return cls(
            n_estimators=int(_float(params, "n_estimators")),
            max_depth=int(_float(params, "max_depth")),
            learning_rate=_float(params, "learning_rate"),
            feature_names=feature_names,
            base=_float(params, "base"),
            trees=[_tree(t, len(feature_names)) for t in trees],
        )


def _tree(raw, n_features: int) -> dict[str, np.ndarray]:
    if not isinstance(raw, dict) or set(raw) != set(TREE_KEYS):
        raise ModelArtefactError(f"each tree needs exactly the keys {', '.join(TREE_KEYS)}")
    try:
        tree = {k: np.asarray(raw[k], np.int64 if k in ("left", "right", "feature") else float) for k in TREE_KEYS}
    except (TypeError, ValueError) as exc:
        raise ModelArtefactError(f"tree arrays are not numeric: {exc}") from None
    n = len(tree["left"])
    if n == 0 or any(len(v) != n or v.ndim != 1 for v in tree.values()):
        raise ModelArtefactError("tree arrays must be non-empty and of equal length")
    if not (
        np.all(tree["left"] < n)
        and np.all(tree["right"] < n)
        and np.all(tree["feature"] < n_features)
        and np.all(tree["feature"] >= 0)
        and np.all(np.isfinite(tree["value"]))
    ):
        raise ModelArtefactError("tree refers to a node or feature that does not exist")
    inner = tree["left"] >= 0
    if np.any(tree["left"][inner] <= np.flatnonzero(inner)) or np.any(tree["right"][inner] <= np.flatnonzero(inner)):
        raise ModelArtefactError("tree children must come after their parent")
    return tree
