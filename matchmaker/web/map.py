"""The national map: arrangements on 15 switchable service layers, filters, a table view of
the same data, council boundaries served from the bundled file, and downloads."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for

from sqlalchemy import select

from matchmaker.database import get_session
from matchmaker.db import Arrangement
from matchmaker.services.access import may_see_contacts
from matchmaker.services.contacts import read_contacts
from matchmaker.web.lookups import service_areas
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
        "map/index.html", arrangements=arrangements, chosen=chosen, services=service_areas(session),
        regions=regions(session), statuses=STATUSES, savings_text=savings_text,
        # The script gets every service so that ticking a layer can show it without a reload.
        data_url=url_for("map.data", **{k: v for k, v in args.items() if k != "service"}), boundaries_url=url_for("map.boundaries"),
        csv_url=url_for("downloads.csv", **args), xlsx_url=url_for("downloads.xlsx", **args),
    )


@blueprint.get("/arrangements.json")
def data():
    session = get_session()
    allowed = may_see_contacts(current_principal())
    arrangements = filtered_arrangements(session, chosen_filter())
    response = jsonify({
        "arrangements": [feature(a, allowed) for a in arrangements],
        "services": [{"slug": s.slug, "name": s.name} for s in service_areas(session)],
    })
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blueprint.get("/arrangements/<public_id>/contacts.json")
def contacts(public_id: str):
    session = get_session()
    arrangement = session.scalar(select(Arrangement).where(Arrangement.public_id == public_id))
    if arrangement is None:
        abort(404)
    found = read_contacts(session, current_principal(), arrangement_id=arrangement.id,
                          context="national map")
    if found is None:
        abort(403)
    session.commit()
    response = jsonify({"arrangement_id": public_id, "contacts": found})
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.get("/boundaries.geojson")
def boundaries():
    body, etag = _boundaries(str(Path(current_app.config["DATA_DIR"]) / "boundaries.geojson"))
    if body is None:
        abort(404)
    response = Response(body, mimetype="application/geo+json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={BOUNDARIES_MAX_AGE}"
    return response.make_conditional(request)


@lru_cache(maxsize=2)
def _boundaries(path: str) -> tuple[bytes | None, str]:
    file = Path(path)
    if not file.exists():
        return None, ""
    body = file.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:32]
