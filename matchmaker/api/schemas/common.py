"""Schemas shared by every resource: problems, pagination, references to organisations and services,
savings by kind."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from matchmaker.api.pagination import DEFAULT_LIMIT, MAX_LIMIT

GSS_CODE_PATTERN = r"^[EWSNK][0-9]{8}$"
# Generated organisations (scale tests, flagged synthetic) carry X codes, which no real body has.
# They exist in the database only when synthetic data is loaded, so looking one up is allowed;
# submitting one is not (the import rule takes them only from rows flagged synthetic).
ORGANISATION_CODE_PATTERN = r"^[EWSNKX][0-9]{8}$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
MIN_YEAR, MAX_YEAR = 1990, 2100


def gss_code(description: str = "GSS code", **kwargs) -> fields.String:
    """A real GSS code: for what is submitted and stored."""
    return fields.String(
        validate=validate.Regexp(GSS_CODE_PATTERN, error="not a GSS code (like E07000223)"),
        metadata={"description": f"{description}, e.g. E07000223", "example": "E07000223"},
        **kwargs,
    )


def organisation_code(description: str = "GSS code", **kwargs) -> fields.String:
    """A GSS code, or a synthetic organisation's X code: for looking organisations up."""
    return fields.String(
        validate=validate.Regexp(ORGANISATION_CODE_PATTERN, error=CODE_ERROR),
        metadata={
            "description": f"{description}, e.g. E07000223 (X and 8 digits: a synthetic one)",
            "example": "E07000223",
        },
        **kwargs,
    )


CODE_ERROR = "not a GSS code (like E07000223) nor a synthetic code (X and 8 digits)"


def free_text(max_length: int, **kwargs) -> fields.String:
    """Words to match; control characters (NUL among them) are refused, not sent to the database."""
    return fields.String(
        validate=[
            validate.Length(1, max_length),
            validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error="contains control characters"),
        ],
        **kwargs,
    )


class ChangeSchema(Schema):
    """A PATCH body: at least one field to change besides ``version``."""

    @validates_schema
    def _changes_something(self, data, **_kwargs) -> None:
        if not any(name != "version" for name in data):
            raise ValidationError("send at least one field to change")


class StrictBoolean(fields.Boolean):
    """JSON true or false only: not 0, 1, "yes" or "on", which marshmallow would take."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):  # 0 == False and 1 == True, so a set lookup would pass
            raise self.make_error("invalid", input=value)
        return value


def nullable(field_class: type[fields.Field], *args, **kwargs) -> fields.Field:
    """A field every response carries, null when there is no value."""
    return field_class(*args, required=True, allow_none=True, **kwargs)


class SavingsByKindSchema(Schema):
    """Savings summed by kind, never added across kinds; null where none were reported."""

    achieved_annual = nullable(fields.Integer)
    achieved_cumulative = nullable(fields.Integer)
    expected = nullable(fields.Integer)


def year(**kwargs) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(MIN_YEAR, MAX_YEAR), **kwargs)


class InvalidParamSchema(Schema):
    name = fields.String(required=True, metadata={"description": "the parameter or field at fault"})
    in_ = fields.String(
        required=True,
        data_key="in",
        attribute="in",
        metadata={"description": "query, path, body or header"},
    )
    reason = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "URI naming the kind of problem"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True, metadata={"description": "what is wrong, for a person"})
    instance = fields.String(metadata={"description": "the path that was requested"})
    invalid_params = fields.List(fields.Nested(InvalidParamSchema))
    current_version = fields.Integer(metadata={"description": "409 version conflicts: the version the record has now"})


class PageArgsSchema(Schema):
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": f"page size, 1 to {MAX_LIMIT}"},
    )
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(0, 10_000_000),
        metadata={"description": "how many items to skip"},
    )


class PageLinksSchema(Schema):
    self_ = fields.String(required=True, data_key="self", attribute="self")
    first = fields.String(required=True)
    prev = fields.String()
    next = fields.String()
    last = fields.String()


class PageSchema(Schema):
    total = fields.Integer(required=True, metadata={"description": "items across all pages"})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
    links = fields.Nested(PageLinksSchema, required=True)


class OrganisationRefSchema(Schema):
    gss_code = nullable(fields.String)
    name = fields.String(required=True)
    href = nullable(fields.String)


class ServiceRefSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    group = fields.String(required=True)


class ContactSchema(Schema):
    role = fields.String(required=True, metadata={"description": "officer or member"})
    name = fields.String(required=True)
    job_title = nullable(fields.String)
    email = nullable(fields.String)
    phone = nullable(fields.String)
    demo = fields.Boolean(required=True, metadata={"description": "generated demo contact, fictional"})


LINK_HEADER = {
    "Link": {
        "description": "RFC 8288 links to the first, previous, next and last pages",
        "schema": {"type": "string"},
    }
}


def updated_since(resource: str) -> fields.AwareDateTime:
    """Only what changed at or after a moment (ISO 8601; without an offset it is read as UTC)."""
    from datetime import timezone

    return fields.AwareDateTime(
        default_timezone=timezone.utc,
        metadata={
            "description": f"only {resource} changed at or after this time (ISO 8601, UTC "
            "unless an offset is given), as the change feed records it",
            "example": "2026-11-30T09:00:00Z",
        },
    )
