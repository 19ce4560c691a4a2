"""Webhook subscription arguments and bodies."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.common import nullable
from matchmaker.services.webhooks import EVENT_TYPES


class SubscriptionCreateSchema(Schema):
    url = fields.String(
        required=True,
        validate=validate.Length(1, 2000),
        metadata={
            "description": "https:// address that receives POSTs (plain http only to this machine, in development)"
        },
    )
    event_types = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        validate=validate.Length(1, len(EVENT_TYPES)),
    )
    contact_email = fields.Email(
        metadata={"description": "who is told when deliveries keep failing (default: the key's user)"}
    )
    description = fields.String(validate=validate.Length(0, 200))


class SubscriptionSchema(Schema):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True)
    description = nullable(fields.String)
    contact_email = fields.String(required=True)
    active = fields.Boolean(required=True)
    disabled_at = nullable(fields.DateTime)
    disabled_reason = nullable(fields.String)
    created_at = fields.DateTime(required=True)
    secret = fields.String(metadata={"description": "whsec_...: shown once, when created"})
    links = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class SubscriptionListSchema(Schema):
    items = fields.List(fields.Nested(SubscriptionSchema), required=True)


class AttemptSchema(Schema):
    number = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    status_code = nullable(fields.Integer)
    error = nullable(fields.String)
    milliseconds = fields.Integer(required=True)


class DeliverySchema(Schema):
    message_id = fields.String(required=True, metadata={"description": "the webhook-id header"})
    event_type = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "pending, succeeded, failed or cancelled"})
    attempts = fields.List(fields.Nested(AttemptSchema), required=True)
    next_attempt_at = nullable(fields.DateTime)
    created_at = fields.DateTime(required=True)
    finished_at = nullable(fields.DateTime)


class DeliveryListSchema(Schema):
    items = fields.List(fields.Nested(DeliverySchema), required=True)
