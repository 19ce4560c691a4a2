"""Home: search for a council by name or code. A GET form without JavaScript, an
accessible autocomplete with it (fed by /search.json)."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from sqlalchemy import func, select

from matchmaker.db import Arrangement, Organisation
from matchmaker.db.repositories.reference import search_organisations, service_areas
from matchmaker.flask_database import get_session

blueprint = Blueprint("home", __name__)


@blueprint.get("/")
def index():
    session = get_session()
    councils = session.scalar(
        select(func.count())
        .select_from(Organisation)
        .where(Organisation.end_date.is_(None), Organisation.kind == "council", Organisation.synthetic.is_(False))
    )
    arrangements = session.scalar(select(func.count()).select_from(Arrangement).where(Arrangement.synthetic.is_(False)))
    return render_template("home.html", councils=councils, arrangements=arrangements, services=service_areas(session))


@blueprint.get("/search")
def search():
    text = request.args.get("q", "").strip()[:100]
    found = search_organisations(get_session(), text) if text else []
    exact = [o for o in found if (o.gss_code or "").lower() == text.lower()]
    if len(exact) == 1:
        return redirect(url_for("councils.show", code=exact[0].gss_code))
    return render_template("search.html", query=text, results=found)


@blueprint.get("/search.json")
def search_json():
    text = request.args.get("q", "").strip()[:100]
    found = search_organisations(get_session(), text, limit=10) if len(text) >= 2 else []
    return jsonify(
        {
            "query": text,
            "results": [
                {
                    "gss_code": o.gss_code,
                    "name": o.name,
                    "label": f"{o.name} ({o.gss_code})" + (f", abolished {o.end_date.year}" if o.end_date else ""),
                    "url": url_for("councils.show", code=o.gss_code),
                }
                for o in found
                if o.gss_code
            ],
        }
    )
