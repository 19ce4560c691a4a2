import json
from dataclasses import replace

import pytest

from matchmaker.core.artefact import dataset_fingerprint, load_model, to_artefact, write_artefact
from matchmaker.core.graph import OrgIndex
from matchmaker.core.model import LogisticModel, ModelArtefactError
from matchmaker.core.train import fit_model
from matchmaker.core.training_examples import SnapshotCache, formation_queries
from tests.support import worlds


def edit_json(text: str, change) -> str:
    data = json.loads(text)
    change(data)
    return json.dumps(data)


@pytest.fixture(scope="module")
def artefact():
    model, info = fit_model(worlds.legal_world(), max_negatives=None)
    return to_artefact(model, info, {"note": "test"})


def test_written_artefact_loads_back_identically(tmp_path, artefact):
    path = tmp_path / "model.json"
    write_artefact(path, artefact)
    model, data = load_model(path)
    assert isinstance(model, LogisticModel)
    assert data == json.loads(json.dumps(artefact))
    assert data["training"]["fingerprint"].startswith("sha256:")
    assert {"numpy", "scikit-learn"} <= set(data["library_versions"])


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: edit_json(text, lambda d: d["model"]["params"].update(intercept=5.0)), "checksum"),
        (lambda text: text.replace('"format_version": 1', '"format_version": 99'), "format version 99"),
        (lambda text: text.replace('"format": "matchmaker-model"', '"format": "other"'), "not a model artefact"),
        (lambda text: text.replace('"fingerprint": "sha256:', '"fingerprint": "md5:'), "fingerprint"),
    ],
)
def test_corrupt_artefact_is_refused_with_a_clear_message(tmp_path, artefact, damage, message):
    path = tmp_path / "model.json"
    write_artefact(path, artefact)
    path.write_text(damage(path.read_text()))
    with pytest.raises(ModelArtefactError, match=message) as caught:
        load_model(path)
    assert str(path) in str(caught.value)


def test_artefact_for_other_features_is_refused(tmp_path, artefact):
    from matchmaker.core import artefact as module

    changed = json.loads(json.dumps(artefact))
    changed["model"]["feature_names"] = changed["model"]["feature_names"][:-1]
    changed["checksum"] = module._checksum(changed["model"])
    path = tmp_path / "model.json"
    write_artefact(path, changed)
    with pytest.raises(ModelArtefactError, match="different feature list"):
        load_model(path)


def test_missing_artefact_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "absent.json")


def test_service_order_of_an_arrangement_changes_neither_fingerprint_nor_test_queries():
    def world(services):
        return worlds.grid_world([worlds.arrangement("M", [14, 15], services, 2012)])

    a, b = world(("waste-environment", "management")), world(("management", "waste-environment"))
    assert dataset_fingerprint(a) == dataset_fingerprint(b)
    assert dataset_fingerprint(a) != dataset_fingerprint(replace(a, arrangements=a.arrangements[:-1]))
    firsts = {
        q.service for q in formation_queries(SnapshotCache(OrgIndex(a)), all_services=False) if q.arrangement_id == "M"
    }
    assert firsts == {"management"}  # first in the reference list, whatever order the record gives
