"""Change feed arguments and bodies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import nullable

CURSOR_PATTERN = r"^[0-9a-z]{1,12}$"
FEED_DEFAULT_LIMIT = 100
FEED_MAX_LIMIT = 1000


class ChangeArgsSchema(Schema):
    after = fields.String(
        validate=validate.Regexp(
            CURSOR_PATTERN,
            error="not a cursor from this feed: pass a `cursor` or `next_cursor` exactly as it was given",
        ),
        metadata={"description": "the `cursor` of the last change already read; omit to start from the first change"},
    )
    limit = fields.Integer(
        load_default=FEED_DEFAULT_LIMIT,
        validate=validate.Range(1, FEED_MAX_LIMIT),
        metadata={"description": f"at most this many changes (1 to {FEED_MAX_LIMIT})"},
    )


class ChangeSchema(Schema):
    cursor = fields.String(required=True, metadata={"description": "opaque; pass as `after`"})
    resource = fields.String(
        required=True,
        metadata={
            "description": "arrangement, organisation or model (public); match_request (adviser scope); "
            "contact (contacts:read scope)"
        },
    )
    id = fields.String(required=True, metadata={"description": "the resource's identifier"})
    action = fields.String(
        required=True,
        metadata={
            "description": "arrangement: created, changed, ended, restored or reorganised; "
            "organisation: succession; model: retrained; match_request: "
            "created, edited, note or status; contact: created, changed or removed"
        },
    )
    version = nullable(
        fields.Integer,
        metadata={"description": "the arrangement's history version after this change"},
    )
    at = fields.DateTime(required=True, metadata={"description": "when the change was made (UTC)"})
    href = nullable(fields.String)
    data = fields.Dict(
        required=True,
        metadata={
            "description": "the resource's whole public state after the change (an arrangement as in its history)"
        },
    )


class ChangePageSchema(Schema):
    items = fields.List(fields.Nested(ChangeSchema), required=True)
    next_cursor = nullable(
        fields.String,
        metadata={
            "description": "pass as `after` for the next page; the last item's cursor, or "
            "the one you sent when there is nothing new"
        },
    )
    links = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
