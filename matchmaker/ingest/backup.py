"""Whole-database backups: every table as CSV plus a manifest of row counts and SHA-256 sums.

A restore goes into an empty database at the same schema revision, checks every checksum and
count before writing anything, inserts all tables in one transaction (all or nothing) with their
original ids, and moves PostgreSQL's id sequences past the restored rows.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DataError, IntegrityError

from matchmaker.db import Base
from matchmaker.ingest.backup_cells import decode, encode
from matchmaker.ingest.problems import ImportRejected, Problem

MANIFEST = "manifest.json"
FORMAT = "matchmaker-backup"
FORMAT_VERSION = 1
INSERT_BATCH = 5_000
MAX_CELL = 1 << 30


@dataclass(frozen=True)
class TableReport:
    name: str
    rows: int


def tables() -> list[Table]:
    """Parents before children, so rows can be inserted in this order."""
    return list(Base.metadata.sorted_tables)


def export_all(engine: Engine, directory: Path) -> list[TableReport]:
    """Write every table, then the manifest last: a directory without it is not a backup."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise ImportRejected([Problem(str(directory), None, None, "the directory is not empty")])
    # Password and key hashes and personal contacts: readable by the owner only.
    directory.chmod(0o700)
    entries: dict[str, dict] = {}
    with _snapshot(engine) as connection:
        revision = current_revision_of(connection)
        for table in tables():
            path = directory / f"{table.name}.csv"
            rows = _write_table(connection, table, path)
            entries[table.name] = {"file": path.name, "rows": rows, "sha256": sha256_of(path)}
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "schema_revision": revision,
        "dialect": engine.dialect.name,
        "tables": entries,
    }
    with _private(directory / MANIFEST).open("w", encoding="utf-8") as out:
        out.write(json.dumps(manifest, indent=1) + "\n")
    return [TableReport(name, entry["rows"]) for name, entry in entries.items()]


def import_all(engine: Engine, directory: Path) -> list[TableReport]:
    manifest = read_manifest(directory)
    verify_files(directory, manifest)
    with engine.begin() as connection:
        _check_target(connection, manifest, directory)
        reports = [_load_table(connection, table, directory, manifest) for table in tables()]
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return reports


def read_manifest(directory: Path) -> dict:
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _rejected(path, f"no {MANIFEST}: not a complete backup") from None
    except (OSError, ValueError) as exc:
        raise _rejected(path, f"unreadable manifest: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _rejected(path, f"not a {FORMAT} manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise _rejected(path, f"format version {manifest.get('format_version')!r} is not {FORMAT_VERSION}")
    missing = sorted({t.name for t in tables()} - set(manifest.get("tables", {})))
    unknown = sorted(set(manifest.get("tables", {})) - {t.name for t in tables()})
    if missing or unknown:
        raise _rejected(path, f"tables missing: {missing or 'none'}; tables unknown here: {unknown or 'none'}")
    return manifest


def verify_files(directory: Path, manifest: dict) -> None:
    problems = []
    for name, entry in manifest["tables"].items():
        path = directory / entry["file"]
        if path.name != entry["file"] or not path.is_file():
            problems.append(Problem(entry["file"], None, None, "missing from the backup"))
        elif sha256_of(path) != entry["sha256"]:
            problems.append(Problem(entry["file"], None, None, "checksum does not match the manifest"))
    if problems:
        raise ImportRejected(problems)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def current_revision_of(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """One consistent view of every table while they are written out."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        yield connection


def _private(path: Path) -> Path:
    """The file created empty with mode 0600 before anything is written to it."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def _write_table(connection: Connection, table: Table, path: Path) -> int:
    columns = list(table.columns)
    order = list(table.primary_key.columns) or columns
    result = connection.execution_options(stream_results=True, yield_per=INSERT_BATCH).execute(
        select(table).order_by(*order)
    )
    count = 0
    with _private(path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([c.name for c in columns])
        for row in result:
            writer.writerow([encode(value, c.type) for value, c in zip(row, columns)])
            count += 1
    return count


def _check_target(connection: Connection, manifest: dict, directory: Path) -> None:
    revision = current_revision_of(connection)
    if revision != manifest.get("schema_revision"):
        raise _rejected(
            directory / MANIFEST,
            f"the backup is at schema revision {manifest.get('schema_revision')!r} but the database is at "
            f"{revision!r}; restore into a database migrated to the same revision",
        )
    filled = [t.name for t in tables() if connection.scalar(select(func.count()).select_from(t)) > 0]
    if filled:
        raise _rejected(
            directory, f"the database is not empty (rows in: {', '.join(filled)}); restore only into an empty database"
        )


def _load_table(connection: Connection, table: Table, directory: Path, manifest: dict) -> TableReport:
    entry = manifest["tables"][table.name]
    path = directory / entry["file"]
    count = 0
    for batch in _read_batches(path, table):
        try:
            connection.execute(table.insert(), batch)
        except (IntegrityError, DataError) as exc:
            reason = str(exc.orig).strip().splitlines()[0]
            raise _rejected(path, f"rows break a database rule: {reason}") from None
        count += len(batch)
    if count != entry["rows"]:
        raise _rejected(path, f"holds {count} rows but the manifest says {entry['rows']}")
    return TableReport(table.name, count)


def _read_batches(path: Path, table: Table) -> Iterator[list[dict]]:
    with _field_limit(MAX_CELL), path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        expected = [c.name for c in table.columns]
        if header != expected:
            raise ImportRejected([Problem(path.name, 1, None, f"columns {header} are not {expected}")])
        columns = list(table.columns)
        batch: list[dict] = []
        for cells in reader:
            batch.append(_decode_row(path, reader.line_num, cells, columns))
            if len(batch) >= INSERT_BATCH:
                yield batch
                batch = []
        if batch:
            yield batch


def _decode_row(path: Path, line: int, cells: list[str], columns) -> dict:
    if len(cells) != len(columns):
        raise ImportRejected([Problem(path.name, line, None, f"{len(cells)} cells but {len(columns)} columns")])
    row = {}
    for cell, column in zip(cells, columns):
        try:
            row[column.name] = decode(cell, column.type)
        except ValueError as exc:
            raise ImportRejected([Problem(path.name, line, column.name, str(exc))]) from None
    return row


def _reset_sequences(connection: Connection) -> None:
    """Rows came with their ids; the next id handed out must come after them."""
    for table in filter(_is_serial, tables()):
        column = next(iter(table.primary_key.columns))
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 1), '
                f'(SELECT MAX("{column.name}") FROM "{table.name}") IS NOT NULL)'
            ),
            {"table": table.name, "column": column.name},
        )


def _is_serial(table: Table) -> bool:
    """SQLAlchemy makes a lone integer primary key a serial column."""
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].type.python_type is int and not keys[0].foreign_keys


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _rejected(path: Path, message: str) -> ImportRejected:
    return ImportRejected([Problem(str(path), None, None, message)])
