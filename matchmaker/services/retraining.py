"""Retraining from the service: start a run, train and back-test it, and activate the new model
only if its back-test is no worse than the current model's (otherwise say why it was kept back).

The training and evaluation themselves are the engine's own entry points (core.train); this
module decides, records and activates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.db import TrainingRun
from matchmaker.db.repositories import changes
from matchmaker.services import model_versions

FINISHED = ("activated", "kept_back", "failed")
MEASURES = (("mrr", "MRR"), ("recall_at_k", "Recall@10"))


class RetrainRefused(ValueError):
    pass


@dataclass(frozen=True)
class Staleness:
    """How the active model's data compares with the data held now."""

    current: int
    trained_on: int | None

    @property
    def changes_since(self) -> int | None:
        return None if self.trained_on is None else max(0, self.current - self.trained_on)

    @property
    def model_is_older(self) -> bool:
        return self.trained_on is None or self.current > self.trained_on


def staleness(session: Session, artefact: dict | None) -> Staleness:
    return Staleness(changes.data_version(session), model_versions.trained_on(artefact))


def unfinished(session: Session) -> TrainingRun | None:
    return session.scalar(
        select(TrainingRun)
        .where(TrainingRun.status.in_(("queued", "running")))
        .order_by(TrainingRun.id.desc())
        .limit(1)
    )


def runs(session: Session, limit: int = 20) -> list[TrainingRun]:
    return list(session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)))


def start(session: Session, actor: str) -> TrainingRun:
    """A queued run (one at a time); the caller sends the job once this commits."""
    running = unfinished(session)
    if running is not None:
        raise RetrainRefused(f"retraining run {running.id} has not finished yet")
    run = TrainingRun(status="queued", step="Waiting for a worker", requested_by=actor, figures={})
    session.add(run)
    session.flush()
    return run


def headline(artefact: dict | None) -> dict[str, float] | None:
    """The back-test figures of the artefact's own model kind, or None when it has none."""
    if not artefact:
        return None
    methods = ((artefact.get("metrics") or {}).get("backtest") or {}).get("methods") or {}
    method = methods.get(artefact["model"]["kind"])
    if not method:
        return None
    return {name: round(float(method[name]["mean"]), 4) for name, _ in MEASURES}


def judge(candidate: dict[str, float] | None, current: dict[str, float] | None) -> tuple[bool, str]:
    """Whether the candidate may replace the current model, and the reason in words."""
    if candidate is None:
        return False, "the new model has no back-test figures to compare"
    if current is None:
        return True, "there was no back-tested model to compare with"
    worse = [
        f"{label} {candidate[name]:.3f} against {current[name]:.3f} for the current model"
        for name, label in MEASURES
        if candidate[name] < current[name]
    ]
    if worse:
        return False, "its back-test is worse than the current model's: " + "; ".join(worse)
    figures = ", ".join(f"{label} {candidate[name]:.3f} (current {current[name]:.3f})" for name, label in MEASURES)
    return True, f"its back-test is no worse than the current model's: {figures}"


def set_step(run: TrainingRun, step: str, status: str | None = None) -> None:
    run.step = step
    if status:
        run.status = status
    if status == "running" and run.started_at is None:
        run.started_at = datetime.now(timezone.utc)


def finish(
    session: Session, run: TrainingRun, artefact: dict[str, Any], current: dict | None, model_path: Path
) -> None:
    """Decide; when the new model may be used, write it over the active one and record the change."""
    from matchmaker.core.artefact import write_artefact

    candidate = headline(artefact)
    allowed, reason = judge(candidate, headline(current))
    run.figures = {
        "candidate": candidate,
        "current": headline(current),
        "kind": artefact["model"]["kind"],
        "seconds": artefact["training"].get("seconds"),
    }
    run.model_created, run.reason = artefact["created"], reason
    run.finished_at = datetime.now(timezone.utc)
    if allowed:
        write_artefact(model_path, artefact)
        model_versions.record_activation(session, artefact)
        set_step(run, "New model in use", "activated")
    else:
        set_step(run, "Kept back: the current model stays in use", "kept_back")
