"""Model artefacts as JSON: write, read and validate. Never pickle.

The body carries a SHA-256 checksum of its model section, so a file that was cut short or
edited by hand is refused with a ModelArtefactError instead of scoring silently wrong.
"""

from __future__ import annotations

import hashlib
import json
import platform
import re
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from .anchored import AnchoredModel, ListwiseModel
from .boosted import BoostedModel
from .calibration import Calibration
from .features import FEATURE_NAMES, FEATURES
from .model import BaselineModel, LinearModel, LogisticModel, Model, ModelArtefactError
from .types import Dataset

FORMAT = "matchmaker-model"
FORMAT_VERSION = 1
MODEL_CLASSES: dict[str, type[Model]] = {
    c.kind: c for c in (LinearModel, LogisticModel, BaselineModel, BoostedModel, AnchoredModel, ListwiseModel)
}
FINGERPRINT_RE = re.compile(r"^sha256:[0-9a-f]{64}$")


def dataset_fingerprint(dataset: Dataset) -> str:
    """Hash of the facts the model learns from, identical whether read from CSV or a database."""
    digest = hashlib.sha256()
    for org in sorted(dataset.organisations, key=lambda o: o.code):
        digest.update(
            repr(
                (
                    org.code,
                    org.tier,
                    org.county_code,
                    org.region,
                    org.lat,
                    org.lon,
                    org.population,
                    org.start_date,
                    org.end_date,
                    org.successor_codes,
                )
            ).encode()
        )
    for arr in sorted(dataset.arrangements, key=lambda a: a.id):
        digest.update(
            repr(
                (
                    arr.id,
                    sorted(arr.member_codes),
                    sorted(arr.services),
                    arr.status,
                    arr.start_year,
                    arr.end_year,
                    [(s.amount_gbp, s.kind, s.period) for s in arr.savings],
                )
            ).encode()
        )
    for n in sorted(dataset.neighbours, key=lambda n: (n.code_a, n.code_b)):
        digest.update(repr((n.code_a, n.code_b, n.shared_boundary_km)).encode())
    return "sha256:" + digest.hexdigest()


def _checksum(section: dict[str, Any]) -> str:
    canonical = json.dumps(section, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("numpy", "scipy", "scikit-learn", "networkx"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def to_artefact(model: Model, training: dict[str, Any], metrics: dict[str, Any] | None = None) -> dict[str, Any]:
    section = {"kind": model.kind, "feature_names": list(model.feature_names), "params": model.params()}
    if model.calibration is not None:
        section["calibration"] = model.calibration.to_dict()
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "library_versions": library_versions(),
        "features": [{"name": n, "description": d} for n, d in FEATURES],
        "training": training,
        "metrics": metrics or {},
        "model": section,
        "checksum": _checksum(section),
    }


def write_artefact(path: str | Path, artefact: dict[str, Any]) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(target.suffix + ".tmp")
    tmp.write_text(json.dumps(artefact, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    tmp.replace(target)


def read_artefact(path: str | Path) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelArtefactError(f"{path}: cannot be read ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelArtefactError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    try:
        validate_artefact(data)
    except ModelArtefactError as exc:
        raise ModelArtefactError(f"{path}: {exc}") from None
    return data


def validate_artefact(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelArtefactError(f"not a model artefact (expected format {FORMAT!r})")
    if data.get("format_version") != FORMAT_VERSION:
        raise ModelArtefactError(
            f"format version {data.get('format_version')!r} is not supported "
            f"(this version reads {FORMAT_VERSION}); retrain with `matchmaker train`"
        )
    section = data.get("model")
    if not isinstance(section, dict) or section.get("kind") not in MODEL_CLASSES:
        raise ModelArtefactError(f"unknown model kind; expected one of {', '.join(MODEL_CLASSES)}")
    if data.get("checksum") != _checksum(section):
        raise ModelArtefactError("checksum does not match the model section (file corrupt or edited)")
    if section.get("feature_names") != FEATURE_NAMES:
        raise ModelArtefactError("trained on a different feature list than this version computes; retrain")
    fingerprint = (data.get("training") or {}).get("fingerprint")
    if not isinstance(fingerprint, str) or not FINGERPRINT_RE.match(fingerprint):
        raise ModelArtefactError("training-data fingerprint missing or malformed (expected sha256:<64 hex>)")


def model_from_artefact(data: dict[str, Any]) -> Model:
    validate_artefact(data)
    section = data["model"]
    if not isinstance(section.get("params"), dict):
        raise ModelArtefactError("model parameters missing")
    model = MODEL_CLASSES[section["kind"]].from_params(section["params"], section["feature_names"])
    if section.get("calibration") is not None:
        try:
            model.calibration = Calibration.from_dict(section["calibration"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelArtefactError(f"calibration unusable ({exc})") from None
    return model


def load_model(path: str | Path) -> tuple[Model, dict[str, Any]]:
    """Read, validate and build the model. Raises FileNotFoundError or ModelArtefactError."""
    data = read_artefact(path)
    try:
        return model_from_artefact(data), data
    except ModelArtefactError as exc:
        raise ModelArtefactError(f"{path}: {exc}") from None
