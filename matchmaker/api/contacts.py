"""/api/v1/organisations/{gss_code}/contacts: only with contacts:read, every read audited."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from matchmaker.api.auth import require
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.links import organisation_ref
from matchmaker.api.lookups import organisation_or_404
from matchmaker.api.schemas.common import (
    ORGANISATION_CODE_PATTERN,
    ContactSchema,
    OrganisationRefSchema,
)
from matchmaker.api.validation import check_path
from matchmaker.flask_database import get_session
from matchmaker.services.contacts import read_contacts

blueprint = ResourceBlueprint(
    "api_contacts",
    __name__,
    url_prefix="/api/v1/organisations",
    description="Officer and member contacts: only for keys or accounts allowed to see them.",
    tag="Contacts",
)


class OrganisationContactsSchema(Schema):
    organisation = fields.Nested(OrganisationRefSchema, required=True)
    contacts = fields.List(fields.Nested(ContactSchema), required=True)


@blueprint.route("/<gss_code:gss_code>/contacts")
class OrganisationContacts(MethodView):
    @blueprint.response(200, OrganisationContactsSchema)
    @blueprint.doc(security=[{"bearer": []}, {"api_key": []}])
    def get(self, gss_code: str):
        """The organisation's contacts. Needs contacts:read (401 without a key, 403 without the
        scope); each read is written to the audit log with who, what and when."""
        check_path("gss_code", gss_code, ORGANISATION_CODE_PATTERN)
        principal = require("contacts:read")
        organisation = organisation_or_404(gss_code)
        session = get_session()
        contacts = read_contacts(session, principal, organisation_id=organisation.id, context="api")
        session.commit()
        no_store()
        return {"organisation": organisation_ref(organisation), "contacts": contacts or []}
