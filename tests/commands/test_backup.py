"""`export all` / `import all`: exact round trip, checked before writing, all or nothing."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import select

from matchmaker.cli import build_cli
from matchmaker.db import Organisation
from matchmaker.flask_database import get_database
from matchmaker.ingest.backup import MANIFEST, sha256_of
from tests.support.dumps import dump_tables


def invoke(app, *args):
    return app.test_cli_runner().invoke(build_cli(), list(args))


@pytest.fixture
def backup_dir(app, tmp_path):
    directory = tmp_path / "backup"
    result = invoke(app, "export", "all", str(directory))
    assert result.exit_code == 0, result.output
    return directory


def test_export_writes_every_table_and_a_manifest_with_counts_and_checksums(app, backup_dir):
    manifest = json.loads((backup_dir / MANIFEST).read_text())
    dump = dump_tables(app)
    assert set(manifest["tables"]) == set(dump)
    for name, entry in manifest["tables"].items():
        assert entry["rows"] == len(dump[name]), name
        assert entry["sha256"] == sha256_of(backup_dir / entry["file"])
    # the bundled data: 365 councils, 161 known arrangements, 15 service areas
    assert manifest["tables"]["arrangements"]["rows"] == 161
    assert manifest["tables"]["service_areas"]["rows"] == 15
    assert manifest["schema_revision"]


def test_round_trip_restores_the_bundled_data_exactly(app, empty_app, backup_dir):
    result = invoke(empty_app, "import", "all", str(backup_dir))
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert dump_tables(empty_app) == dump_tables(app)


def test_new_rows_after_a_restore_get_fresh_ids(app, empty_app, backup_dir):
    assert invoke(empty_app, "import", "all", str(backup_dir)).exit_code == 0
    with get_database(empty_app).transaction() as session:
        highest = session.scalar(select(Organisation.id).order_by(Organisation.id.desc()).limit(1))
        added = Organisation(name="Synthetic test body", kind="other", synthetic=True)
        session.add(added)
        session.flush()
        assert added.id == highest + 1


def test_restore_refuses_a_database_that_holds_data(app, backup_dir):
    before = dump_tables(app)
    result = invoke(app, "import", "all", str(backup_dir))
    assert result.exit_code == 2
    assert "the database is not empty" in result.output
    assert dump_tables(app) == before


def test_restore_refuses_a_tampered_file_before_writing_anything(empty_app, backup_dir):
    target = backup_dir / "organisations.csv"
    target.write_text(target.read_text().replace("Adur", "Adurr"))
    before = dump_tables(empty_app)
    result = invoke(empty_app, "import", "all", str(backup_dir))
    assert result.exit_code == 2
    assert "organisations.csv: checksum does not match the manifest" in result.output
    assert dump_tables(empty_app) == before


def test_restore_is_all_or_nothing_when_a_late_table_is_bad(empty_app, backup_dir):
    """A row that breaks a constraint in a table loaded last undoes the tables loaded before it."""
    manifest = json.loads((backup_dir / MANIFEST).read_text())
    with (backup_dir / "arrangement_members.csv").open(newline="") as handle:
        rows = list(csv.reader(handle))
    rows.append(rows[1])  # the same member twice: a duplicate primary key
    with (backup_dir / "arrangement_members.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    entry = manifest["tables"]["arrangement_members"]
    entry["rows"] += 1
    entry["sha256"] = sha256_of(backup_dir / "arrangement_members.csv")
    (backup_dir / MANIFEST).write_text(json.dumps(manifest))
    before = dump_tables(empty_app)
    result = invoke(empty_app, "import", "all", str(backup_dir))
    assert result.exit_code == 2
    assert "arrangement_members.csv: rows break a database rule" in result.output
    assert dump_tables(empty_app) == before


def test_restore_refuses_a_directory_without_a_manifest(empty_app, tmp_path):
    result = invoke(empty_app, "import", "all", str(tmp_path))
    assert result.exit_code == 2
    assert "no manifest.json: not a complete backup" in result.output


def test_export_refuses_a_directory_that_is_not_empty(app, tmp_path):
    (tmp_path / "something.txt").write_text("keep me")
    result = invoke(app, "export", "all", str(tmp_path))
    assert result.exit_code == 2
    assert "the directory is not empty" in result.output
    assert (tmp_path / "something.txt").read_text() == "keep me"
