"""Submissions, moderation, arrangement history and refresh rounds: bodies and arguments."""

from __future__ import annotations

from datetime import timezone

from marshmallow import Schema, fields, validate

from matchmaker.api.schemas.arrangements import ARRANGEMENT_ID_PATTERN
from matchmaker.api.schemas.common import gss_code, nullable, year
from matchmaker.api.schemas.reference_values import service_slugs
from matchmaker.ingest.arrangements import WEB_ADDRESS
from matchmaker.ingest.arrangements_csv import CSV_STATUSES, SAVINGS_KINDS
from matchmaker.ingest.submission_rules import EMAIL, RECORD_KINDS, SOME_TEXT

MAX_AMOUNT = 9_999_999_999_999  # the import rule refuses 1e13 and above
# The characters str.strip() removes: submitted text is stripped before the import rule sees it.
STRIPPED = "\t-\r\x1c- \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# The import rule for source_url (WEB_ADDRESS), as the pattern of the text submitted: blank, or
# a web address once stripped.
# Control characters other than tab and line breaks are refused anywhere (matchmaker.input_gate).
GATE_STRIPPED = "\t\n\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
SOURCE_URL_PATTERN = rf"^[{GATE_STRIPPED}]*(?:{WEB_ADDRESS.pattern}[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*)?$"


class Moment(fields.DateTime):
    """ISO 8601 with a time zone; SQLite hands back naive times, which are UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


def moment(**kwargs) -> fields.DateTime:
    return Moment(**kwargs)


# Text without NUL (no database text column stores it), and with something besides blanks.
NON_BLANK = SOME_TEXT.pattern.removeprefix(r"^[\s\S]*")  # one character that is not a blank
ANY_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"  # as the input gate: tab and line breaks only
SOME_STORABLE_TEXT = rf"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*{NON_BLANK}[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def text(max_length: int, required: bool = False, blank: bool = True, **kwargs) -> fields.String:
    """Free text; ``blank=False``: when given, it must have something besides blanks."""
    checks = [validate.Length(max=max_length)]
    if required or not blank:
        checks += [
            validate.Length(min=1),
            validate.Regexp(SOME_STORABLE_TEXT, error="is required, without control characters"),
        ]
    else:
        checks.append(validate.Regexp(ANY_TEXT, error="contains a control character"))
    return fields.String(required=required, validate=checks, **kwargs)


def arrangement_id(**kwargs) -> fields.String:
    return fields.String(validate=validate.Regexp(ARRANGEMENT_ID_PATTERN), **kwargs)


class ArrangementFieldsSchema(Schema):
    """The arrangements CSV columns, typed."""

    name = text(300)
    council_codes = fields.List(gss_code(), validate=validate.Length(1, 50))
    service_areas = fields.List(
        fields.String(validate=validate.OneOf(service_slugs())), validate=validate.Length(1, 15)
    )
    start_year = year()
    end_year = year()
    status = fields.String(validate=validate.OneOf(CSV_STATUSES))
    other_partners = text(500)
    source_url = fields.String(
        validate=[
            validate.Length(max=1000),
            validate.Regexp(SOURCE_URL_PATTERN, error="not a web address (http:// or https://)"),
        ],
        metadata={"description": "where the arrangement is documented; blank for none"},
    )
    evidence = text(5000)
    note = text(2000, metadata={"description": "anything the moderator should know"})


class SavingsFigureSchema(Schema):
    amount_gbp = fields.Float(required=True, validate=validate.Range(0, MAX_AMOUNT))
    kind = fields.String(required=True, validate=validate.OneOf(SAVINGS_KINDS))


class NewArrangementSchema(ArrangementFieldsSchema):
    name = text(300, required=True)
    council_codes = fields.List(gss_code(), required=True, validate=validate.Length(1, 50))
    service_areas = fields.List(
        fields.String(validate=validate.OneOf(service_slugs())),
        required=True,
        validate=validate.Length(1, 15),
    )
    status = fields.String(required=True, validate=validate.OneOf(CSV_STATUSES))
    savings = fields.Nested(SavingsFigureSchema, metadata={"description": "the headline figure, if known"})


class CorrectionSchema(ArrangementFieldsSchema):
    arrangement_id = arrangement_id(required=True)


class SavingsUpdateSchema(Schema):
    arrangement_id = arrangement_id(required=True)
    amount_gbp = fields.Float(required=True, validate=validate.Range(0, MAX_AMOUNT))
    kind = fields.String(required=True, validate=validate.OneOf(RECORD_KINDS))
    financial_year = year(required=True, metadata={"description": "the year the financial year starts"})
    note = text(2000)


class ReportSchema(Schema):
    email = fields.String(
        required=True,
        validate=[validate.Length(max=254), validate.Regexp(EMAIL.pattern)],
        metadata={"description": "for follow-up; never published"},
    )
    message = text(5000, required=True, metadata={"description": "what is missing or wrong"})
    arrangement_id = arrangement_id(metadata={"description": "the arrangement that is wrong, if any"})


class SubmissionListArgsSchema(Schema):
    status = fields.String(validate=validate.OneOf(("pending", "approved", "rejected")))


class SubmissionSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    status = fields.String(required=True)
    arrangement_id = nullable(fields.String)
    organisation = nullable(fields.String, metadata={"description": "GSS code"})
    duplicate_of = nullable(
        fields.String,
        metadata={"description": "an existing arrangement this may duplicate"},
    )
    refresh_round = nullable(fields.Integer)
    payload = fields.Dict(required=True, metadata={"description": "what was submitted, normalised"})
    created_at = moment(required=True)
    decided_at = moment(required=True, allow_none=True)
    reject_reason = nullable(fields.String)
    receipt = fields.String(metadata={"description": "anonymous reports only, shown once: use it to see the decision"})


class SubmissionListSchema(Schema):
    items = fields.List(fields.Nested(SubmissionSchema), required=True)


class ReviewSchema(Schema):
    submission = fields.Nested(SubmissionSchema, required=True)
    diff = nullable(
        fields.Dict,
        metadata={"description": "fields before/after, members, services and savings added or removed"},
    )
    base_version = nullable(fields.Integer)
    current_version = nullable(fields.Integer)
    stale = fields.Boolean(required=True, metadata={"description": "the arrangement changed since submission"})


class ApprovalSchema(Schema):
    expected_version = fields.Integer(
        validate=validate.Range(0, 1_000_000),
        metadata={"description": "approve against this arrangement version (the one reviewed)"},
    )


class RejectionSchema(Schema):
    reason = text(2000, required=True, metadata={"description": "shown to the submitter"})


class VersionSchema(Schema):
    number = fields.Integer(required=True)
    changed_by = fields.String(required=True)
    change_note = nullable(fields.String)
    submission_id = nullable(fields.Integer)
    created_at = moment(required=True)
    changes = fields.Dict(required=True)
    snapshot = fields.Dict(required=True)


class HistorySchema(Schema):
    arrangement_id = fields.String(required=True)
    versions = fields.List(fields.Nested(VersionSchema), required=True, metadata={"description": "newest first"})


class RoundCreateSchema(Schema):
    year = year(required=True)


class RoundSchema(Schema):
    year = fields.Integer(required=True)
    status = fields.String(required=True)
    councils_asked = fields.Integer(required=True)
    councils_responded = fields.Integer(required=True)
    arrangements_total = fields.Integer(required=True)
    arrangements_confirmed = fields.Integer(required=True)
    arrangements_without_savings = fields.Integer(required=True)
    savings_gaps_closed = fields.Integer(required=True)
    submissions = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class RoundListSchema(Schema):
    items = fields.List(fields.Nested(RoundSchema), required=True)
