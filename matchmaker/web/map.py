"""The national map: arrangements on 15 switchable service layers, filters, a table view of
the same data, council boundaries served from the bundled file, and downloads."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import brotli
from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from sqlalchemy import select

from matchmaker.db import Arrangement
from matchmaker.db.repositories.reference import service_areas
from matchmaker.flask_database import get_session
from matchmaker.services.access import may_see_contacts
from matchmaker.services.contacts import read_contacts
from matchmaker.web.map_data import (
    STATUSES,
    MapFilter,
    feature,
    filtered_arrangements,
    regions,
    savings_text,
)
from matchmaker.web.principal import current_principal

blueprint = Blueprint("map", __name__, url_prefix="/map")
BOUNDARIES_MAX_AGE = 24 * 3600
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def chosen_filter() -> MapFilter:
    session = get_session()
    return MapFilter.from_args(request.args, [s.slug for s in service_areas(session)], regions(session))


@blueprint.get("")
def index():
    session = get_session()
    chosen = chosen_filter()
    arrangements = filtered_arrangements(session, chosen)
    args = chosen.query_args()
    return render_template(
        "map/index.html",
        arrangements=arrangements,
        chosen=chosen,
        services=service_areas(session),
        regions=regions(session),
        statuses=STATUSES,
        savings_text=savings_text,
        # The script gets every service so that ticking a layer can show it without a reload.
        data_url=url_for("map.data", **{k: v for k, v in args.items() if k != "service"}),
        boundaries_url=url_for("map.boundaries"),
        csv_url=url_for("downloads.csv", **args),
        xlsx_url=url_for("downloads.xlsx", **args),
    )


@blueprint.get("/arrangements.json")
def data():
    session = get_session()
    allowed = may_see_contacts(current_principal())
    arrangements = filtered_arrangements(session, chosen_filter())
    response = jsonify(
        {
            "arrangements": [feature(a, allowed) for a in arrangements],
            "services": [{"slug": s.slug, "name": s.name} for s in service_areas(session)],
        }
    )
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blueprint.get("/arrangements/<public_id>/contacts.json")
def contacts(public_id: str):
    session = get_session()
    arrangement = session.scalar(select(Arrangement).where(Arrangement.public_id == public_id))
    if arrangement is None:
        abort(404)
    found = read_contacts(session, current_principal(), arrangement_id=arrangement.id, context="national map")
    if found is None:
        abort(403)
    session.commit()
    response = jsonify({"arrangement_id": public_id, "contacts": found})
    response.headers["Cache-Control"] = "private, no-store"
    return response


BOUNDARY_FILES = {  # endpoint: (file in DATA_DIR, media type)
    "map.boundaries": ("boundaries.topojson", "application/json"),
    "map.boundaries_geojson": ("boundaries.geojson", "application/geo+json"),
}


@blueprint.get("/boundaries.topojson")
def boundaries():
    """The council boundaries the maps draw: TopoJSON, shared borders stored once and simplified
    together (scripts/build-boundaries), compressed once per worker. Pages link it with ``v``
    set to the file's version (a hash of it), so that URL may be kept for a year."""
    return _boundaries_response("map.boundaries")


@blueprint.get("/boundaries.geojson")
def boundaries_geojson():
    """The full boundaries as GeoJSON, for tools that want them unsimplified."""
    return _boundaries_response("map.boundaries_geojson")


def _boundaries_response(endpoint: str):
    name, media_type = BOUNDARY_FILES[endpoint]
    found = _boundaries(_data_file(name))
    if found is None:
        abort(404)
    encoding = request.accept_encodings.best_match(["br", "gzip"])
    response = Response(found.bodies.get(encoding, found.bodies[None]), mimetype=media_type)
    if encoding in found.bodies:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{found.version}:{encoding}" if encoding in found.bodies else found.version)
    versioned = request.args.get("v") == found.version
    response.headers["Cache-Control"] = (
        f"public, max-age={IMMUTABLE_MAX_AGE}, immutable" if versioned else f"public, max-age={BOUNDARIES_MAX_AGE}"
    )
    return response.make_conditional(request)


@blueprint.url_defaults
def _boundaries_version(endpoint: str, values: dict) -> None:
    if endpoint in BOUNDARY_FILES and "v" not in values:
        found = _boundaries(_data_file(BOUNDARY_FILES[endpoint][0]))
        if found is not None:
            values["v"] = found.version


def _data_file(name: str) -> str:
    return str(Path(current_app.config["DATA_DIR"]) / name)


@dataclass(frozen=True)
class Boundaries:
    version: str
    bodies: dict[str | None, bytes]  # by Content-Encoding; None for the plain file


@lru_cache(maxsize=2)
def _boundaries(path: str) -> Boundaries | None:
    file = Path(path)
    if not file.exists():
        return None
    body = file.read_bytes()
    return Boundaries(
        version=hashlib.sha256(body).hexdigest()[:32],
        bodies={
            None: body,
            "br": brotli.compress(body, quality=7),  # 11 takes seconds, for 2% less
            "gzip": gzip.compress(body, compresslevel=9, mtime=0),
        },
    )
