"""Which data each model was trained on, and the change-feed entry when a model becomes active.

The data version is the newest public change to arrangements or organisations in the change log
when the training data was read; a model is older than the data when a newer change exists.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from matchmaker.db.repositories import changes


def stamp(artefact: dict[str, Any], data_version: int) -> dict[str, Any]:
    artefact["training"]["data_version"] = data_version
    return artefact


def trained_on(artefact: dict[str, Any] | None) -> int | None:
    """The data version a model was trained on; None for models trained before it was kept."""
    if not artefact:
        return None
    return (artefact.get("training") or {}).get("data_version")


def record_activation(session: Session, artefact: dict[str, Any]) -> None:
    """A public change: the model behind the recommendations is now this one."""
    backtest = (artefact.get("metrics") or {}).get("backtest") or {}
    method = (backtest.get("methods") or {}).get(artefact["model"]["kind"]) or {}
    changes.model_retrained(
        session,
        artefact["created"],
        {
            "created": artefact["created"],
            "kind": artefact["model"]["kind"],
            "data_version": trained_on(artefact),
            "mrr": (method.get("mrr") or {}).get("mean"),
            "recall_at_10": (method.get("recall_at_k") or {}).get("mean"),
        },
    )
