"""Path parameters: documented with their pattern, checked in the view so a malformed one is a
422 naming the parameter (a well-formed but unknown one is a 404)."""

from __future__ import annotations

import re

from werkzeug.routing import BaseConverter

from matchmaker.api.errors import invalid
from matchmaker.api.schemas.arrangements import ARRANGEMENT_ID_PATTERN
from matchmaker.api.schemas.common import ORGANISATION_CODE_PATTERN


class GssCodeConverter(BaseConverter):
    """Matches any path segment; the view checks the pattern."""


class ArrangementIdConverter(BaseConverter):
    """Matches any path segment; the view checks the pattern."""


class TextConverter(BaseConverter):
    """Any path segment; the input gate refuses control characters, as the pattern says."""


CONVERTERS = {
    "gss_code": (GssCodeConverter, {"type": "string", "pattern": ORGANISATION_CODE_PATTERN}),
    "arrangement_id": (
        ArrangementIdConverter,
        {"type": "string", "pattern": ARRANGEMENT_ID_PATTERN},
    ),
    "text": (TextConverter, {"type": "string", "pattern": r"^[^\x00-\x1f\x7f]*$"}),
}


def check_path(name: str, value: str, pattern: str) -> None:
    if not re.fullmatch(pattern, value):
        raise invalid(name, f"{value!r} does not match {pattern}", where="path")
