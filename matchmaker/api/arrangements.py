"""/api/v1/arrangements: filtered list, one arrangement, and the bulk CSV download."""

from __future__ import annotations

import io
from typing import Any

from flask import Response
from flask.views import MethodView

from matchmaker.api.auth import current_principal
from matchmaker.api.blueprints import ResourceBlueprint
from matchmaker.api.caching import no_store
from matchmaker.api.errors import not_found
from matchmaker.api.links import arrangement_href, organisation_ref
from matchmaker.api.lookups import check_arrangement_filters
from matchmaker.api.pagination import envelope, totals
from matchmaker.api.schemas.arrangements import (
    ARRANGEMENT_ID_PATTERN,
    ArrangementArgsSchema,
    ArrangementDetailSchema,
    ArrangementFilterArgsSchema,
    ArrangementPageSchema,
)
from matchmaker.api.schemas.common import LINK_HEADER
from matchmaker.api.validation import check_path
from matchmaker.core.savings_figures import describe, yearly_amount
from matchmaker.db import Arrangement, SavingsRecord
from matchmaker.db.arrangement_state import SAVINGS_PERIOD_DETAILS
from matchmaker.db.repositories import arrangements as repository
from matchmaker.db.snapshot import savings_figure
from matchmaker.flask_database import get_session
from matchmaker.ingest.export import write_arrangements_csv
from matchmaker.services.contacts import read_contacts

blueprint = ResourceBlueprint(
    "api_arrangements",
    __name__,
    url_prefix="/api/v1",
    description="Shared-service arrangements: members, services, reported savings, sources.",
    tag="Arrangements",
)


def savings_representation(record: SavingsRecord) -> dict[str, Any]:
    figure = savings_figure(record)
    return {
        "kind": record.kind,
        "period": record.period,
        "financial_year": record.financial_year,
        "amount_gbp": float(record.amount_gbp),
        "note": record.note,
        **{name: getattr(record, name) for name in SAVINGS_PERIOD_DETAILS},
        "yearly_gbp": yearly_amount(figure),
        "text": describe(figure),
    }


def representation(arrangement: Arrangement) -> dict[str, Any]:
    return {
        "arrangement_id": arrangement.public_id,
        "name": arrangement.name,
        "status": arrangement.status,
        "start_year": arrangement.start_year,
        "end_year": arrangement.end_year,
        "end_reason": arrangement.end_reason,
        "members": [
            {
                **organisation_ref(m.organisation),
                "role": m.role,
                "joined_year": m.joined_year,
                "left_year": m.left_year,
            }
            for m in arrangement.members
        ],
        "other_partners": arrangement.other_partners,
        "services": [{"slug": s.slug, "name": s.name, "group": s.group} for s in arrangement.services],
        "savings": [savings_representation(r) for r in arrangement.savings],
        "has_savings_figures": bool(arrangement.savings),
        "evidence": arrangement.evidence,
        "synthetic": arrangement.synthetic,
        "version": arrangement.version,
        "links": {
            "self": arrangement_href(arrangement.public_id),
            "source": arrangement.source_url,
        },
    }


def _filter(filters: dict[str, Any]) -> repository.ArrangementFilter:
    check_arrangement_filters(filters)
    return repository.ArrangementFilter(**filters)


@blueprint.route("/arrangements")
class Arrangements(MethodView):
    @blueprint.arguments(ArrangementArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(200, ArrangementPageSchema, headers=LINK_HEADER)
    def get(self, limit: int, offset: int, **filters):
        """Arrangements, filtered and paginated, by identifier

        Items never carry contacts, whatever the caller's scopes: a list read is not audited
        contact by contact. With contacts:read, read one arrangement (its `contacts`) or an
        organisation's contacts (`/api/v1/organisations/{gss_code}/contacts`)."""
        page = repository.list_arrangements(get_session(), _filter(filters), limit, offset, totals())
        return envelope(page, [representation(a) for a in page.items])


@blueprint.route("/arrangements/<arrangement_id:arrangement_id>")
class ArrangementDetail(MethodView):
    @blueprint.response(200, ArrangementDetailSchema)
    @blueprint.doc(security=[{}, {"bearer": []}, {"api_key": []}])
    def get(self, arrangement_id: str):
        """One arrangement with members, services, savings records and links

        `contacts` (officer and member contacts of the arrangement) is present only for callers
        with contacts:read: an API key with that scope, or a signed-in user allowed to see
        contacts. Each such read is written to the audit log (who, what, when) and the response
        is sent with `Cache-Control: no-store` and no ETag. Without the scope the field is absent,
        not empty, and nothing is audited."""
        check_path("arrangement_id", arrangement_id, ARRANGEMENT_ID_PATTERN)
        session = get_session()
        arrangement = repository.arrangement_by_public_id(session, arrangement_id)
        if arrangement is None:
            raise not_found(f"There is no arrangement {arrangement_id}.")
        body = representation(arrangement)
        contacts = read_contacts(session, current_principal(), arrangement_id=arrangement.id, context="api")
        if contacts is not None:
            session.commit()
            no_store()
            body["contacts"] = contacts
        return body


@blueprint.route("/arrangements.csv")
class ArrangementsCsv(MethodView):
    @blueprint.arguments(ArrangementFilterArgsSchema, location="query", as_kwargs=True)
    @blueprint.response(
        200,
        {"type": "string"},
        content_type="text/csv",
        description="Every matching arrangement in the import format, without contacts",
    )
    def get(self, **filters):
        """Bulk download in the arrangements CSV import format (no contacts)."""
        query = repository.filtered_arrangements(_filter(filters))
        arrangements = get_session().scalars(repository.with_details(query)).all()
        buffer = io.StringIO()
        write_arrangements_csv(arrangements, buffer)
        return Response(
            buffer.getvalue(),
            mimetype="text/csv",
            headers={"Content-Disposition": 'attachment; filename="arrangements.csv"'},
        )
