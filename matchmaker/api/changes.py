"""/api/v1/changes: every change to the data, in order, from an opaque cursor."""

from __future__ import annotations

from urllib.parse import urlencode

from flask.views import MethodView

from matchmaker.api.auth import current_principal
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.links import API_ROOT
from matchmaker.api.schemas.changes import ChangeArgsSchema, ChangePageSchema
from matchmaker.db.repositories import changes
from matchmaker.flask_database import get_session
from matchmaker.services import audit
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
        Changes to match-making requests appear only for callers with the adviser scope, and
        contact details added, changed or removed (`contact`) only for callers with
        contacts:read; each read of contact changes is written to the audit log."""
        start = decode_cursor(after) if after is not None else 0
        principal = current_principal()
        session = get_session()
        found = changes.page(session, start, limit, principal.scopes)
        if principal.scopes - {changes.PUBLIC}:
            no_store()
        items = [representation(c) for c in found]
        next_cursor = encode_cursor(found[-1].id) if found else after
        contact_changes = [c.id for c in found if c.resource == "contact"]
        if contact_changes:
            audit.record(
                session, principal.actor, "contacts.read", "changes", contact_changes[0], changes=contact_changes
            )
            session.commit()
        links = {"self": _url(after, limit)}
        if next_cursor is not None:
            links["next"] = _url(next_cursor, limit)
        return {"items": items, "next_cursor": next_cursor, "links": links}


def _url(after: str | None, limit: int) -> str:
    query = {"after": after, "limit": limit} if after is not None else {"limit": limit}
    return f"{API_ROOT}/changes?{urlencode(query)}"
