"""Marshmallow schemas for the API: request arguments and response bodies, one file per resource."""
