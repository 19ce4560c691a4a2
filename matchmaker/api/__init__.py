"""/api/v1: flask-smorest blueprints per resource, OpenAPI 3 at /api/v1/openapi.json."""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api
from werkzeug.routing import PathConverter, UnicodeConverter

from matchmaker.api import errors
from matchmaker.api.schemas.common import ProblemSchema

API_CONFIG = {
    "API_TITLE": "Shared Service Matchmaker API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": (
                "Organisations, shared-service arrangements, statistics and explained partner "
                "recommendations for English councils. Anonymous callers get public:read; send "
                "an API key as `Authorization: Bearer <key>` or `X-API-Key`. Contact details "
                "need the contacts:read scope and every read is audited. Errors are RFC 9457 "
                "application/problem+json."
            ),
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            }
        },
    },
}
RESOURCE_MODULES = (
    "organisations",
    "contacts",
    "service_areas",
    "arrangements",
    "recommendations",
    "statistics",
    "model",
    "submissions",
    "history",
    "refresh_rounds",
    "match_requests",
    "experts",
    "assignments",
    "programme",
    "changes",
    "webhooks",
)


class ProblemApi(Api):
    """flask-smorest's Api with RFC 9457 errors, documented as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def register_blueprint(self, blp, *, parameters=None, **options):
        """As flask-smorest's, but the documentation lists the blueprint under its readable tag
        (ResourceBlueprint.tag) rather than its internal name."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
        self.spec.tag({"name": getattr(blp, "tag", name), "description": blp.description})

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)

    def _register_responses(self):
        from matchmaker.api.openapi import register_problem_responses

        register_problem_responses(self.spec, self.ERROR_SCHEMA)


def init_app(app: Flask) -> ProblemApi:
    import importlib

    from matchmaker import limits
    from matchmaker.api import auth, caching, docs, openapi
    from matchmaker.api.validation import CONVERTERS

    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    api = ProblemApi()
    api.init_app(app)
    openapi.state_the_input_gate(api.ma_plugin)
    # <name>, <string:name> and <path:name>: no control characters, as the input gate refuses.
    plain = {"type": "string", "pattern": openapi.QUERY_PATTERN}
    for converter in (UnicodeConverter, PathConverter):
        api.register_converter(converter, lambda _converter: dict(plain))
    for name, (converter, schema) in CONVERTERS.items():
        app.url_map.converters[name] = converter
        api.register_converter(converter, lambda _converter, schema=schema: dict(schema))
    for module in RESOURCE_MODULES:
        api.register_blueprint(importlib.import_module(f"matchmaker.api.{module}").blueprint)
    openapi.require_a_change(api.spec, ("ExpertEdit", "RequestEdit"))
    errors.init_app(app)
    caching.init_app(app)
    limits.init_app(app, caller=auth.verified_caller)
    auth.init_app(app)
    app.register_blueprint(docs.blueprint)
    return api
