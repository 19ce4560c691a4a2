"""Load councils, neighbours and service areas in the reference formats; upsert, all or nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from matchmaker.core.types import COUNCIL_TYPES, TIERS
from matchmaker.db import NeighbourPair, Organisation, ServiceArea, Succession
from matchmaker.db.repositories import changes
from matchmaker.db.upsert import assign_changed
from matchmaker.ingest.csvfile import read_rows
from matchmaker.ingest.fields import RowChecker
from matchmaker.ingest.problems import ImportRejected, Problem

COUNCIL_COLUMNS = (
    "gss_code", "name", "short_name", "la_type", "tier", "region", "county_gss",
    "start_date", "end_date", "replaced_by_gss", "lat", "lon", "population",
)  # fmt: skip
NEIGHBOUR_COLUMNS = ("gss_code_a", "gss_code_b", "shared_boundary_km")
SERVICE_AREA_COLUMNS = ("slug", "name", "group", "covers")


def load_councils(session: Session, path: Path | str) -> int:
    """Upsert councils by GSS code; returns the number of rows read. New rows go in as one bulk
    insert and successions are compared as id pairs, so there is no query per row."""
    path = Path(path)
    parsed, successors = _parse_councils(path)
    existing = {o.gss_code: o for o in session.scalars(select(Organisation)) if o.gss_code}
    _check_successors(path.name, successors, set(existing) | set(parsed))
    new = [{"gss_code": code, "kind": "council", **fields} for code, fields in parsed.items() if code not in existing]
    if new:
        session.execute(insert(Organisation), new)
    for code, fields in parsed.items():
        if code in existing:
            assign_changed(existing[code], fields)
    session.flush()
    ids = dict(
        session.execute(select(Organisation.gss_code, Organisation.id).where(Organisation.gss_code.is_not(None))).all()
    )
    wanted = {(ids[code], ids[s]) for code, (codes, _row) in successors.items() for s in codes}
    moved = _sync_successions(session, {ids[code] for code in parsed}, wanted)
    _record_successions(session, moved, wanted, {i: code for code, i in ids.items()})
    for organisation in existing.values():
        session.expire(organisation, ["successors", "predecessors"])
    return len(parsed)


def _record_successions(session: Session, moved: set[int], wanted: set[tuple[int, int]], codes: dict[int, str]) -> None:
    """Each organisation whose successors changed goes into the change feed, with all of them."""
    names = dict(session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(moved))).all())
    for predecessor in sorted(moved, key=codes.get):
        successors = [codes[s] for p, s in wanted if p == predecessor]
        changes.succession_changed(session, codes[predecessor], names[predecessor], successors)


def _sync_successions(session: Session, predecessor_ids: set[int], wanted: set[tuple[int, int]]) -> set[int]:
    """Returns the predecessors whose successors changed."""
    current = {(p, s) for p, s in session.execute(select(Succession.predecessor_id, Succession.successor_id))}
    current = {pair for pair in current if pair[0] in predecessor_ids}
    for predecessor, successor in current - wanted:
        session.execute(
            delete(Succession).where(Succession.predecessor_id == predecessor, Succession.successor_id == successor)
        )
    added = [{"predecessor_id": p, "successor_id": s} for p, s in sorted(wanted - current)]
    if added:
        session.execute(insert(Succession), added)
    return {p for p, _ in (current - wanted) | (wanted - current)}


def _parse_councils(path: Path):
    problems: list[Problem] = []
    parsed: dict[str, dict] = {}
    successors: dict[str, tuple[list[str], int]] = {}
    for row in read_rows(path, COUNCIL_COLUMNS):
        synthetic = RowChecker(path.name, row, problems).flag("synthetic")
        check = RowChecker(path.name, row, problems, synthetic_codes=synthetic)
        codes = check.codes("gss_code", required=True)
        if len(codes) != 1:
            if codes:
                check.fail("gss_code", "exactly one GSS code per row")
            continue
        code = codes[0]
        if code in parsed:
            check.fail("gss_code", f"duplicate GSS code {code!r}")
            continue
        parsed[code] = {
            "name": check.text("name", required=True, max_length=200),
            "short_name": check.text("short_name", max_length=120),
            "council_type": check.choice("la_type", COUNCIL_TYPES, required=True),
            "tier": check.choice("tier", TIERS, required=True),
            "region": check.text("region", max_length=60),
            "county_gss": (check.codes("county_gss") or [None])[0],
            "start_date": check.day("start_date"),
            "end_date": check.day("end_date"),
            "lat": check.number("lat", 49.0, 56.0),
            "lon": check.number("lon", -7.0, 2.5),
            "population": check.integer("population"),
            "synthetic": synthetic,
        }
        fields = parsed[code]
        if fields["start_date"] and fields["end_date"] and fields["end_date"] < fields["start_date"]:
            check.fail("end_date", "ends before it starts")
        successors[code] = (check.codes("replaced_by_gss"), row.number)
    if problems:
        raise ImportRejected(problems)
    return parsed, successors


def _check_successors(label: str, successors, known: set[str]) -> None:
    problems = [
        Problem(label, row, "replaced_by_gss", f"unknown GSS code {code!r}")
        for codes, row in successors.values()
        for code in codes
        if code not in known
    ]
    if problems:
        raise ImportRejected(problems)


def load_neighbours(session: Session, path: Path | str) -> int:
    path = Path(path)
    ids = dict(session.execute(select(Organisation.gss_code, Organisation.id)).all())
    problems: list[Problem] = []
    pairs: dict[tuple[int, int], float] = {}
    for row in read_rows(path, NEIGHBOUR_COLUMNS):
        # Codes must name organisations already held; synthetic ones exist only if flagged so.
        check = RowChecker(path.name, row, problems, synthetic_codes=True)
        codes = [*check.codes("gss_code_a", required=True), *check.codes("gss_code_b", required=True)]
        km = check.number("shared_boundary_km", 0.0, 10_000.0)
        for column, code in zip(("gss_code_a", "gss_code_b"), codes):
            if code not in ids:
                check.fail(column, f"unknown GSS code {code!r}")
        if len(codes) == 2 and all(c in ids for c in codes) and km is not None:
            a, b = sorted(ids[c] for c in codes)
            pairs[(a, b)] = km
    if problems:
        raise ImportRejected(problems)
    existing = {(n.org_a_id, n.org_b_id): n for n in session.scalars(select(NeighbourPair))}
    new = [
        {"org_a_id": a, "org_b_id": b, "shared_boundary_km": km}
        for (a, b), km in pairs.items()
        if (a, b) not in existing
    ]
    if new:
        session.execute(insert(NeighbourPair), new)
    for key, km in pairs.items():
        if key in existing and existing[key].shared_boundary_km != km:
            existing[key].shared_boundary_km = km
    session.flush()
    return len(pairs)


def load_service_areas(session: Session, path: Path | str) -> int:
    path = Path(path)
    problems: list[Problem] = []
    parsed: dict[str, dict] = {}
    for position, row in enumerate(read_rows(path, SERVICE_AREA_COLUMNS)):
        check = RowChecker(path.name, row, problems)
        slug = check.text("slug", required=True, max_length=40)
        if slug in parsed:
            check.fail("slug", f"duplicate slug {slug!r}")
        fields = {
            "name": check.text("name", required=True, max_length=120),
            "group": check.text("group", required=True, max_length=40),
            "covers": check.text("covers", max_length=400) or "",
            "position": position,
        }
        if slug:
            parsed[slug] = fields
    if problems:
        raise ImportRejected(problems)
    existing = {s.slug: s for s in session.scalars(select(ServiceArea))}
    for slug, fields in parsed.items():
        area = existing.get(slug)
        if area is None:
            area = ServiceArea(slug=slug)
            session.add(area)
        assign_changed(area, fields)
    session.flush()
    return len(parsed)
