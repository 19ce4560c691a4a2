"""/api/v1/refresh-rounds: the annual refresh, opened and followed by advisers."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from matchmaker.api.auth import require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.commits import sentence
from matchmaker.api.errors import ApiProblem, not_found
from matchmaker.api.schemas.submissions import RoundCreateSchema, RoundListSchema, RoundSchema
from matchmaker.api.submissions import MAX_ID
from matchmaker.db import RefreshRound
from matchmaker.flask_database import get_session
from matchmaker.services import refresh

blueprint = ResourceBlueprint(
    "api_refresh_rounds",
    __name__,
    url_prefix="/api/v1/refresh-rounds",
    description="Annual refresh rounds and their progress (adviser).",
    tag="Refresh rounds",
)


def _round(year: int) -> RefreshRound:
    found = refresh.round_for_year(get_session(), year) if year <= MAX_ID else None
    if found is None:
        raise not_found(f"There is no refresh round for {year}.")
    return found


@blueprint.route("")
class Rounds(MethodView):
    @blueprint.response(200, RoundListSchema)
    def get(self):
        """Every round, newest first, with its dashboard figures."""
        require("adviser")
        no_store()
        session = get_session()
        return {"items": [refresh.dashboard(session, r) for r in refresh.all_rounds(session)]}

    @blueprint.arguments(RoundCreateSchema, location="json")
    @blueprint.response(201, RoundSchema)
    def post(self, body: dict[str, Any]):
        """Open a round (one at a time; 409 if one is open or the year exists)."""
        principal, session = require("adviser"), get_session()
        no_store()
        try:
            opened = refresh.open_round(session, principal, body["year"])
        except refresh.RoundConflict as error:
            raise ApiProblem(409, sentence(error)) from None
        session.commit()
        return refresh.dashboard(session, opened)


@blueprint.route("/<int:year>")
class Round(MethodView):
    @blueprint.response(200, RoundSchema)
    def get(self, year: int):
        """Councils responded, arrangements confirmed, savings gaps closed, submissions."""
        require("adviser")
        no_store()
        return refresh.dashboard(get_session(), _round(year))


@blueprint.route("/<int:year>/close")
class Close(MethodView):
    @blueprint.response(200, RoundSchema)
    def post(self, year: int):
        """Close the round (adviser)."""
        principal, session = require("adviser"), get_session()
        no_store()
        found = _round(year)
        try:
            refresh.close_round(session, principal, found)
        except refresh.RoundConflict as error:
            raise ApiProblem(409, sentence(error)) from None
        session.commit()
        return refresh.dashboard(session, found)
