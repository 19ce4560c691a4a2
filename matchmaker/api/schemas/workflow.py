"""Match-making requests, experts and assignments: bodies, arguments and representations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.arrangements import ARRANGEMENT_ID_PATTERN
from matchmaker.api.schemas.common import (
    ChangeSchema,
    OrganisationRefSchema,
    PageArgsSchema,
    PageSchema,
    StrictBoolean,
    free_text,
    nullable,
    organisation_code,
)
from matchmaker.api.schemas.reference_values import regions, service_slugs
from matchmaker.api.schemas.submissions import STRIPPED, moment, text
from matchmaker.core.experts import HELP_LABELS
from matchmaker.core.results import REASON_LABELS
from matchmaker.db.workflow import REQUEST_STATUSES
from matchmaker.services.request_fields import KINDS, MAX_MILES, TIERS, URGENCIES

HELP_KINDS = tuple(HELP_LABELS)
VERSION = fields.Integer(
    required=True,
    validate=validate.Range(1, 2**31 - 1),
    metadata={"description": "the request version you saw (409 if it has changed)"},
)


def choice(values, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(values), **kwargs)


class ConstraintsSchema(Schema):
    # apispec drops Range's exclusivity from the document: stated here (OpenAPI 3.0 form).
    max_distance_miles = fields.Float(
        validate=validate.Range(0, MAX_MILES, min_inclusive=False), metadata={"exclusiveMinimum": True}
    )
    same_county = StrictBoolean(metadata={"description": "only councils in the same two-tier county"})
    tiers = fields.List(choice(TIERS), validate=validate.Length(max=3), metadata={"description": "partner tiers"})
    expert_help = fields.List(
        choice(HELP_KINDS),
        validate=validate.Length(max=len(HELP_KINDS)),
        metadata={"description": "kinds of help wanted from an expert"},
    )


class OutcomeSchema(Schema):
    kind = choice(("formed", "enlarged", "not_pursued"), required=True)
    label = fields.String(required=True)
    not_pursued_reason = nullable(fields.String)
    not_pursued_reason_label = nullable(fields.String)
    arrangement_id = nullable(fields.String)


class RequestDetailsSchema(Schema):
    description = text(2000)
    constraints = fields.Nested(ConstraintsSchema)
    urgency = choice(URGENCIES)
    needs_expert = StrictBoolean()


class RequestCreateSchema(RequestDetailsSchema):
    organisation = organisation_code(
        "the council asking: officers may leave it out (their own) or give their own; advisers "
        "must give it (422 naming it otherwise)"
    )
    service = choice(service_slugs(), required=True)
    kind = choice(KINDS, metadata={"description": "a new arrangement, or enlarge an existing one"})
    arrangement_id = fields.String(
        validate=validate.Regexp(ARRANGEMENT_ID_PATTERN),
        metadata={"description": "for kind=enlarge: the arrangement to enlarge"},
    )


class RequestEditSchema(ChangeSchema, RequestDetailsSchema):
    version = VERSION


class TransitionSchema(Schema):
    to_status = choice(REQUEST_STATUSES, required=True)
    version = VERSION
    reason = text(2000, metadata={"description": "required to close"})
    not_pursued_reason = choice(
        tuple(REASON_LABELS),
        metadata={
            "description": "when closing: why the request was not pursued (default: council_withdrew for the "
            "council's officers, other for advisers)"
        },
    )
    note = text(2000)
    partner_codes = fields.List(
        organisation_code(),
        validate=validate.Length(max=50),
        metadata={"description": "arrangement_formed: the partner councils"},
    )


class NoteSchema(Schema):
    note = text(5000, required=True)


class RequestArgsSchema(PageArgsSchema):
    status = choice(REQUEST_STATUSES)
    service = choice(service_slugs())
    region = free_text(60)
    older_than_days = fields.Integer(validate=validate.Range(0, 36500))


class AssignmentRefSchema(Schema):
    id = fields.Integer(required=True)
    expert_id = fields.Integer(required=True)
    expert_name = fields.String(required=True)
    request_id = fields.Integer(required=True)
    status = fields.String(required=True)
    start_date = fields.Date(required=True)
    end_date = nullable(fields.Date)
    fit_score = nullable(fields.Float)
    reason = nullable(fields.String)


class RequestSchema(Schema):
    id = fields.Integer(required=True)
    organisation = fields.Nested(OrganisationRefSchema, required=True)
    service = fields.String(required=True)
    service_name = fields.String(required=True)
    kind = fields.String(required=True)
    arrangement_id = nullable(fields.String)
    description = fields.String(required=True)
    constraints = fields.Dict(required=True)
    urgency = fields.String(required=True)
    needs_expert = fields.Boolean(required=True)
    status = fields.String(required=True)
    close_reason = nullable(fields.String)
    result_arrangement_id = nullable(fields.String)
    version = fields.Integer(required=True)
    overdue = fields.Boolean(required=True)
    next_statuses = fields.List(fields.String(), required=True)
    created_at = moment(required=True)
    updated_at = moment(required=True)
    assignment = nullable(fields.Nested, AssignmentRefSchema)
    outcome = nullable(
        fields.Nested,
        OutcomeSchema,
        metadata={"description": "how a finished request ended; null while open"},
    )


class EventSchema(Schema):
    at = moment(required=True)
    actor = fields.String(required=True)
    kind = fields.String(required=True)
    from_status = nullable(fields.String)
    to_status = nullable(fields.String)
    note = nullable(fields.String)


class SnapshotSchema(Schema):
    id = fields.Integer(required=True)
    created_at = moment(required=True)
    model_version = fields.String(required=True)
    payload = fields.Dict(
        required=True, metadata={"description": "candidates with scores and reasons, constraints, exclusions, model"}
    )


class RequestDetailSchema(RequestSchema):
    events = fields.List(fields.Nested(EventSchema), required=True)
    suggestions = fields.List(fields.Nested(SnapshotSchema), required=True)


class RequestPageSchema(PageSchema):
    items = fields.List(fields.Nested(RequestSchema), required=True)


class ExpertBodySchema(Schema):
    name = text(200, blank=False)
    # Blanks spelt out, not \s: JSON Schema's \s and Python's differ (\x1c-\x1f, \ufeff).
    email = fields.String(
        validate=[
            validate.Length(max=254),
            validate.Regexp(rf"^[^@\x00-\x20\x7f{STRIPPED}]+@[^@\x00-\x20\x7f{STRIPPED}]+$"),
        ],
        allow_none=True,
    )
    service_slugs = fields.List(choice(service_slugs()), validate=validate.Length(1, 15))
    help_kinds = fields.List(choice(HELP_KINDS), validate=validate.Length(max=len(HELP_KINDS)))
    regions = fields.List(
        choice(regions()),
        validate=validate.Length(max=20),
        metadata={"description": "English regions covered; none: nationally"},
    )
    capacity = fields.Integer(validate=validate.Range(1, 20))
    available = StrictBoolean()
    available_from = fields.Date(allow_none=True)


class ExpertCreateSchema(ExpertBodySchema):
    name = text(200, required=True)
    service_slugs = fields.List(choice(service_slugs()), required=True, validate=validate.Length(1, 15))


class ExpertEditSchema(ChangeSchema, ExpertBodySchema):
    version = fields.Integer(
        validate=validate.Range(1, 2**31 - 1),
        metadata={
            "description": "the expert version you saw (409 if it has changed); "
            "without it the change is made whatever the version"
        },
    )


class ExpertSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    email = nullable(fields.String)
    service_slugs = fields.List(fields.String(), required=True)
    help_kinds = fields.List(fields.String(), required=True)
    regions = fields.List(fields.String(), required=True, metadata={"description": "empty: works nationally"})
    capacity = fields.Integer(required=True)
    load = fields.Integer(required=True, metadata={"description": "active assignments"})
    available = fields.Boolean(required=True)
    available_from = nullable(fields.Date)
    demo = fields.Boolean(required=True, metadata={"description": "generated demo expert, fictional"})
    version = fields.Integer(required=True, metadata={"description": "counts the entry's changes"})


class ExpertListSchema(Schema):
    items = fields.List(fields.Nested(ExpertSchema), required=True)


class AssignmentArgsSchema(Schema):
    status = choice(("active", "completed", "cancelled"))


class AssignmentListSchema(Schema):
    items = fields.List(fields.Nested(AssignmentRefSchema), required=True)


class PairSchema(Schema):
    request_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))
    expert_id = fields.Integer(required=True, validate=validate.Range(1, 2**31 - 1))


class ProposedPairSchema(PairSchema):
    fit = fields.Float(required=True)
    reason = fields.String(required=True)


class LeftSchema(Schema):
    request_id = fields.Integer(required=True)
    reason = fields.String(required=True)


class GreedySchema(Schema):
    assigned = fields.Integer(required=True)
    total_fit = fields.Float(required=True)


class ProposalSchema(Schema):
    pairs = fields.List(fields.Nested(ProposedPairSchema), required=True)
    unassigned = fields.List(fields.Nested(LeftSchema), required=True)
    total_fit = fields.Float(required=True)
    greedy = fields.Nested(GreedySchema, required=True, metadata={"description": "the by-hand baseline"})


class AcceptSchema(Schema):
    pairs = fields.List(fields.Nested(PairSchema), required=True, validate=validate.Length(1, 1000))
    edited = StrictBoolean(load_default=False, metadata={"description": "changed from the proposal"})


class RejectProposalSchema(Schema):
    reason = text(2000, required=True)


class EndAssignmentSchema(Schema):
    status = choice(("completed", "cancelled"), required=True)
