"""/api/v1/changes: every change to the data, in order, from an opaque cursor."""

from __future__ import annotations

from urllib.parse import urlencode

from flask.views import MethodView

from matchmaker.api.auth import current_principal
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.links import API_ROOT
from matchmaker.api.schemas.changes import ChangeArgsSchema, ChangePageSchema
from matchmaker.database import get_session
from matchmaker.db.repositories import changes
from matchmaker.services.feed import decode_cursor, encode_cursor, representation

__all__ = ["blueprint", "decode_cursor", "encode_cursor", "representation"]

blueprint = ResourceBlueprint(
    "api_changes",
    __name__,
    url_prefix="/api/v1",
    description="What changed since you last looked: a feed to follow with a cursor.",
    tag="Changes",
)


@blueprint.route("/changes")
class Changes(MethodView):
    @blueprint.arguments(ChangeArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, ChangePageSchema)
    @blueprint.doc(security=[{}, {"bearer": []}, {"api_key": []}])
    def get(self, limit: int, after: str | None = None):
        """Changes after a cursor, oldest first

        Arrangements created, changed, ended, restored or reorganised, organisation successions
        and retrained models, each with the resource's whole state after the change. Start with no
        `after`, then pass `next_cursor` each time; a cursor stays valid for ever. Replaying from
        the start and keeping the last state of each resource gives the current public data.
        Changes to match-making requests appear only for callers with the adviser scope."""
        start = decode_cursor(after) if after is not None else 0
        principal = current_principal()
        found = changes.page(get_session(), start, limit, principal.scopes)
        if principal.scopes - {changes.PUBLIC}:
            no_store()
        next_cursor = encode_cursor(found[-1].id) if found else after
        links = {"self": _url(after, limit)}
        if next_cursor is not None:
            links["next"] = _url(next_cursor, limit)
        return {"items": [representation(c) for c in found], "next_cursor": next_cursor, "links": links}


def _url(after: str | None, limit: int) -> str:
    query = {"after": after, "limit": limit} if after is not None else {"limit": limit}
    return f"{API_ROOT}/changes?{urlencode(query)}"
