"""Links between resources and short references to organisations and arrangements."""

from __future__ import annotations

from typing import Any

from matchmaker.db import Organisation

API_ROOT = "/api/v1"


def organisation_href(gss_code: str | None) -> str | None:
    return f"{API_ROOT}/organisations/{gss_code}" if gss_code else None


def arrangement_href(public_id: str) -> str:
    return f"{API_ROOT}/arrangements/{public_id}"


def organisation_ref(organisation: Organisation) -> dict[str, Any]:
    return {
        "gss_code": organisation.gss_code,
        "name": organisation.name,
        "href": organisation_href(organisation.gss_code),
    }
