"""The service navigation: each role sees the pages it can use, and nothing it cannot.

One list per role, built here and handed to the layout as `navigation_items`. Pages a role may
use but that belong to one thing (a request, an expert, a submission) are linked from the pages
listed here, not from the navigation.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, g, url_for
from sqlalchemy.exc import SQLAlchemyError

from matchmaker.db import Organisation
from matchmaker.flask_database import get_session
from matchmaker.services import refresh
from matchmaker.services.access import Principal
from matchmaker.web.principal import current_principal


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str


def public_items() -> list[NavItem]:
    return _public() + [NavItem("API", "/api/v1/docs")]


def _public() -> list[NavItem]:
    return [
        NavItem("Find partners", url_for("partners.find")),
        NavItem("Map", url_for("map.index")),
        NavItem("Statistics", url_for("statistics.index")),
    ]


def _officer(principal: Principal) -> list[NavItem]:
    session = get_session()
    own = session.get(Organisation, principal.organisation_id) if principal.organisation_id else None
    items = [NavItem("Find partners", url_for("partners.find"))]
    if own is not None and own.gss_code:
        items.append(NavItem("Your council", url_for("councils.show", code=own.gss_code)))
    items.append(NavItem("Your requests", url_for("match_requests.queue")))
    current = refresh.current_round(session)
    if current is not None and own is not None:
        # The round's page offers the questionnaire online, as a workbook, and its upload.
        items.append(NavItem(f"{current.year} questionnaire", url_for("refresh_pages.dashboard")))
    items += [
        NavItem("Submissions", url_for("submit.mine")),
        NavItem("Map", url_for("map.index")),
        NavItem("Statistics", url_for("statistics.index")),
        NavItem("API keys", url_for("account.index")),
    ]
    return items


def _adviser() -> list[NavItem]:
    return [
        NavItem("Requests", url_for("match_requests.queue")),
        NavItem("Experts", url_for("experts.index")),
        NavItem("Assignments", url_for("experts.proposal")),
        NavItem("Refresh rounds", url_for("refresh_pages.dashboard")),
        NavItem("Moderation", url_for("moderation.queue")),
        NavItem("Reorganisation", url_for("refresh_pages.reorganisation")),
        NavItem("Quality", url_for("refresh_pages.data_quality")),
        NavItem("Programme", url_for("programme.dashboard")),
        NavItem("Find partners", url_for("partners.find")),
        NavItem("Map", url_for("map.index")),
        NavItem("Statistics", url_for("statistics.index")),
    ]


def items_for(principal: Principal) -> list[NavItem]:
    if principal.role == "admin":
        return _adviser() + [
            NavItem("Users", url_for("users.index")),
            NavItem("API keys", url_for("admin_keys.index")),
            NavItem("Model", url_for("model_admin.index")),
        ]
    if principal.role == "adviser":
        return _adviser()
    if principal.role == "council_officer":
        return _officer(principal)
    return public_items()


def _navigation() -> dict[str, list[NavItem]]:
    if "navigation_items" not in g:
        try:
            g.navigation_items = items_for(current_principal())
        except SQLAlchemyError:
            # The page still renders (it may be the page saying the database is unavailable).
            g.navigation_items = public_items()
    return {"navigation_items": g.navigation_items}


def init_app(app: Flask) -> None:
    app.context_processor(_navigation)
