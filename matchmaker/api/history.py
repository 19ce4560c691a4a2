"""/api/v1/arrangements/{id}/history: every version of an arrangement, and restoring one."""

from __future__ import annotations

from flask.views import MethodView

from matchmaker.api.auth import require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.errors import not_found
from matchmaker.api.schemas.arrangements import ARRANGEMENT_ID_PATTERN
from matchmaker.api.schemas.submissions import HistorySchema, VersionSchema
from matchmaker.api.submissions import MAX_ID
from matchmaker.api.validation import check_path
from matchmaker.db import Arrangement
from matchmaker.db.repositories import arrangements as repository
from matchmaker.flask_database import get_session
from matchmaker.services import history

blueprint = ResourceBlueprint(
    "api_history",
    __name__,
    url_prefix="/api/v1/arrangements",
    description="Arrangement history: who changed what, when, from which submission.",
    tag="Arrangement history",
)


def _arrangement(arrangement_id: str) -> Arrangement:
    check_path("arrangement_id", arrangement_id, ARRANGEMENT_ID_PATTERN)
    arrangement = repository.arrangement_by_public_id(get_session(), arrangement_id)
    if arrangement is None:
        raise not_found(f"There is no arrangement {arrangement_id}.")
    return arrangement


@blueprint.route("/<arrangement_id:arrangement_id>/history")
class History(MethodView):
    @blueprint.response(200, HistorySchema)
    def get(self, arrangement_id: str):
        """Every version, newest first, each with what changed from the one before."""
        arrangement = _arrangement(arrangement_id)
        return {
            "arrangement_id": arrangement.public_id,
            "versions": history.history(get_session(), arrangement),
        }


@blueprint.route("/<arrangement_id:arrangement_id>/history/<int:number>/restore")
class Restore(MethodView):
    @blueprint.response(201, VersionSchema)
    def post(self, arrangement_id: str, number: int):
        """Restore version ``number`` as a new version (adviser); nothing is deleted."""
        principal = require("adviser")
        arrangement, session = _arrangement(arrangement_id), get_session()
        no_store()
        if number > MAX_ID:
            raise not_found(f"There is no version {number} of {arrangement_id}.")
        try:
            version = history.restore(session, arrangement, number, principal.actor)
        except history.VersionNotFound as error:
            raise not_found(f"There is no version {number} of {arrangement_id}.") from error
        session.commit()
        return next(v for v in history.history(session, arrangement) if v["number"] == version.number)
