"""Responses dumped by orjson say what Flask's own provider said."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import uuid
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider

from matchmaker.json_provider import OrjsonProvider


@dataclasses.dataclass
class Point:
    x: int
    y: str


DOCUMENT = {
    "zeta": 1,
    "alpha": [1.5, -0.0001, 10**12, None, True],
    "when": dt.datetime(2026, 11, 30, 20, 15, tzinfo=dt.timezone.utc),
    "day": dt.date(2026, 11, 30),
    "money": Decimal("12.50"),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "point": Point(3, "a"),
    "text": "£1.2m a year – “quoted”",
    "nested": {"b": {"d": 1, "c": 2}, "a": []},
}


def test_the_same_document_as_flasks_own_provider(app):
    ours, flasks = OrjsonProvider(app), DefaultJSONProvider(app)
    assert json.loads(ours.dumps(DOCUMENT)) == json.loads(flasks.dumps(DOCUMENT))
    assert ours.dumps({"b": 1, "a": {"d": 2, "c": 3}}) == '{"a":{"c":3,"d":2},"b":1}'
    assert "£1.2m a year – “quoted”" in ours.dumps(DOCUMENT)  # UTF-8, not escaped


def test_what_orjson_refuses_is_dumped_the_flask_way(app):
    ours = OrjsonProvider(app)
    assert json.loads(ours.dumps({"big": 2**70})) == {"big": 2**70}
    assert ours.dumps({"x": math.nan}) == '{"x":null}'
    assert ours.dumps({"a": 1}, indent=2) == '{\n  "a": 1\n}'


def test_the_application_uses_it(app):
    assert isinstance(app.json, OrjsonProvider)
