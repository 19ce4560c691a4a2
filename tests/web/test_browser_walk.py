"""Per role, in a real browser, signed in with an account invited by an administrator and set up
through the link in the email a real SMTP server received: follow every link from the home page within the site and find
every page route the role may use, and each page it reaches free of internal values, sideways
scroll at 375 px and serious or critical accessibility violations, with each of its forms that
post carrying a one-time token. Screenshots go to tests/artifacts/journeys/walk/.

The routes a role should reach are derived from the app: every GET route of the page blueprints
that answers with a page (not a file or data), less those reached some other way than a link
(NOT_LINKED) and those the role may not use (NOT_FOR, each checked to be refused when visited)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urlsplit

import pytest
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from matchmaker.db import Organisation, ServiceArea
from matchmaker.flask_database import get_database
from matchmaker.services import account_mail, match_requests, refresh, submissions, users
from matchmaker.services.access import principal_for_user
from matchmaker.services.demo_programme import load_demo_programme
from matchmaker.services.mail import MailSettings
from matchmaker.services.users import find_by_email
from tests.support.accessibility import scanning_page, serious_violations
from tests.support.browser_server import ARTIFACTS, BROWSER_TESTS, start
from tests.support.internals import internals
from tests.support.mail_server import path_of, smtp_config, smtp_server  # noqa: F401 (fixture)
from tests.support.pages import ADMIN, ADUR, ADVISER, OFFICER, accept_invitation, wait_until_drawn

pytestmark = [*BROWSER_TESTS, pytest.mark.slow]
SHOTS = ARTIFACTS / "journeys" / "walk"
# Each role's account as the administrator invites it: (role, council it answers for).
ROLES = {
    "anonymous": None,
    "viewer": ("viewer", None),
    "officer": ("council_officer", ADUR),
    "adviser": ("adviser", None),
    "admin": ("admin", None),
}
NARROW = {"width": 375, "height": 800}
# Files and data for scripts, not pages: downloads are links, but not pages to walk.
DATA_SUFFIXES = (".csv", ".xlsx", ".json", ".geojson", ".topojson")
# Not followed: the API (its documentation page is Swagger's, tested in test_api_docs), static
# files, and signing out (a form, which would end the walk).
SKIPPED_PREFIXES = ("/api/", "/static/", "/sign-out")
PER_ROUTE = 2  # pages opened per route to find links; the first one of each is checked

# Page routes no link leads to, on purpose.
NOT_LINKED = {
    # Opened from the single-use link in an invitation or password email.
    "passwords.set_password",
    # Shown by the report form after a report is sent (its link is on that thank-you page).
    "submit.receipt",
    # The results of the council search box on the home page: a form, not a link.
    "home.search",
    # Where the refresh page's council picker (a form) sends an adviser; it redirects on to the
    # questionnaire of the council picked.
    "questionnaires.pick",
}
# Per role, pages it may use that it reaches through a form rather than a link.
THROUGH_A_FORM = {
    # An adviser answers a questionnaire for a council picked on the refresh page (above).
    "adviser": {"questionnaires.online"},
    "admin": {"questionnaires.online"},
}
SIGNED_OUT = {"auth.sign_in", "passwords.forgot_password"}  # nobody signed in is offered these
ADVISERS_ONLY = {
    "experts.index",
    "experts.proposal",
    "experts.show",
    "funding.budgets",
    "funding.new_offer",
    "funding.offers",
    "moderation.queue",
    "moderation.show",
    "programme.dashboard",
    "refresh_pages.close_round",
    "refresh_pages.reorganisation",
}
ADMINS_ONLY = {"users.index", "users.invite", "users.show", "admin_keys.index", "model_admin.index"}
# Pages for someone answering for a council: a council officer.
COUNCIL_ONLY = {"submit.mine", "submit.start", "submit.new_arrangement", "submit.savings_update", "submit.correction"}
# Pages for people working on match-making and the refresh: officers, advisers, admins (an
# officer sees their own council's requests and funding offers).
WORKERS_ONLY = {
    "match_requests.queue",
    "match_requests.new",
    "match_requests.show",
    "refresh_pages.dashboard",
    "questionnaires.online",
    "funding.show",
    "funding.letter",
}
SIGNED_IN = {"account.index"}
# What each role may not use: never linked for it, and refused when opened (checked below for
# the pages without parameters; the others sit behind the same checks as their lists).
NOT_FOR = {
    "anonymous": ADVISERS_ONLY | ADMINS_ONLY | COUNCIL_ONLY | WORKERS_ONLY | SIGNED_IN,
    "viewer": SIGNED_OUT | ADVISERS_ONLY | ADMINS_ONLY | COUNCIL_ONLY | WORKERS_ONLY,
    "officer": SIGNED_OUT | ADVISERS_ONLY | ADMINS_ONLY,
    "adviser": SIGNED_OUT | ADMINS_ONLY | COUNCIL_ONLY,
    "admin": SIGNED_OUT | COUNCIL_ONLY,
}


@dataclass
class Walk:
    checked: dict[str, str] = field(default_factory=dict)  # route -> the page checked for it
    problems: list[str] = field(default_factory=list)


def page_routes(app) -> set[str]:
    pages = {name for name, bp in app.blueprints.items() if bp.import_name.startswith("matchmaker.web.")}
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint.split(".")[0] in pages and not rule.rule.endswith(DATA_SUFFIXES)
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The live app with something behind every kind of page: an open round, a request needing an
    expert, a savings update waiting for moderation and the demo programme year."""
    live = start(tmp_path_factory.mktemp("walk"))
    with get_database(live.app).transaction() as session:
        officer = principal_for_user(find_by_email(session, OFFICER))
        adviser = principal_for_user(find_by_email(session, ADVISER))
        refresh.open_round(session, adviser, 2026)
        match_requests.create(
            session,
            officer,
            {"service": "procurement-assets", "description": "Joint fleet", "urgency": "high", "needs_expert": True},
        )
        submissions.submit(
            session,
            officer,
            "savings_update",
            {"amount_gbp": "45,000", "kind": "achieved", "financial_year": "2024"},
            "R040",
        )
        load_demo_programme(session)
    yield live
    live.stop()


@pytest.fixture(scope="module")
def slugs(server) -> set[str]:
    with get_database(server.app).transaction() as session:
        return {s for s in session.scalars(select(ServiceArea.slug)) if "-" in s}


def _route(adapter, url: str) -> str | None:
    try:
        return adapter.match(urlsplit(url).path, method="GET")[0]
    except HTTPException:
        return None


def _links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)")
    local = []
    for href in hrefs:
        url = urldefrag(href)[0]
        path = url[len(origin) :] if url.startswith(origin + "/") or url == origin else None
        if (
            path is not None
            and not path.startswith(SKIPPED_PREFIXES)
            and not urlsplit(path).path.endswith(DATA_SUFFIXES)
        ):
            local.append(path or "/")
    return local


def _check(page, url: str, slugs: set[str]) -> list[str]:
    wait_until_drawn(page)  # a map's scripts may still be drawing it after the page has loaded
    problems = [f"{url}: {leak}" for leak in internals(page.content(), slugs)[:3]]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > NARROW["width"]:
        problems.append(f"{url}: {width} px wide at 375 px")
    problems += [f"{url}: {violation}" for violation in serious_violations(page)]
    unguarded = page.locator("form[method=post]:not(:has(input[name=form_token]))").count()
    if unguarded:
        problems.append(f"{url}: {unguarded} form(s) posting without a one-time token")
    return problems


def walk(page, app, origin: str, role: str, slugs: set[str]) -> Walk:
    adapter = app.url_map.bind("localhost")
    routes = page_routes(app)
    result = Walk()
    opened: dict[str, int] = {}
    queue, seen = deque([("/", "")]), {"/"}
    while queue:
        url, linked_from = queue.popleft()
        route = _route(adapter, url)
        if route is None:
            result.problems.append(f"{url} (linked from {linked_from}): no such page")
            continue
        if route not in routes or opened.get(route, 0) >= PER_ROUTE:
            continue
        opened[route] = opened.get(route, 0) + 1
        response = page.goto(url)
        if response.status != 200:
            result.problems.append(f"{url} (linked from {linked_from}): status {response.status}")
            continue
        if route not in result.checked:
            result.checked[route] = url
            result.problems += _check(page, url, slugs)
            page.screenshot(path=str(SHOTS / f"{role}-{route.replace('.', '-')}.png"))
        for link in _links(page, origin):
            if link not in seen:
                seen.add(link)
                queue.append((link, url))
    return result


def _refused(page, path: str) -> bool:
    response = page.goto(path)
    return response.status in (403, 404) or urlsplit(page.url).path == "/sign-in"


def _invited(page, server, inbox, role: str) -> None:
    """The administrator invites an account for ``role``; its owner opens the emailed link, sets a
    password and signs in."""
    email = f"walk-{role}@example.org"
    kind, council = ROLES[role]
    app = server.app
    app.config.update(smtp_config(inbox))
    try:
        with get_database(app).transaction() as session:
            organisation = session.scalar(select(Organisation).where(Organisation.gss_code == council))
            actor = principal_for_user(find_by_email(session, ADMIN)).actor
            issued = users.invite(session, actor, email, kind, organisation if council else None)
            settings = MailSettings.from_config(app.config, app.instance_path)
            account_mail.send_invitation(settings, server.url, issued)
    finally:
        app.config["SMTP_HOST"] = None
    accept_invitation(page, path_of(inbox.link_for(email)), email)


@pytest.mark.parametrize("role", list(ROLES))
def test_links_from_home_reach_every_page_the_role_may_use(browser, server, slugs, smtp_server, role):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    with scanning_page(browser, server.url) as page:
        if ROLES[role]:
            _invited(page, server, smtp_server, role)
        page.set_viewport_size(NARROW)
        found = walk(page, server.app, server.url, role, slugs)
        expected = page_routes(server.app) - NOT_LINKED - THROUGH_A_FORM.get(role, set()) - NOT_FOR[role]
        assert not found.problems, "\n".join(found.problems)
        assert not expected - set(found.checked), f"not reached by links: {sorted(expected - set(found.checked))}"
        assert not set(found.checked) & NOT_FOR[role], (
            f"linked but not for {role}: {set(found.checked) & NOT_FOR[role]}"
        )
        plain = {r.endpoint: r.rule for r in server.app.url_map.iter_rules() if not r.arguments}
        let_in = [plain[r] for r in sorted(NOT_FOR[role] - SIGNED_OUT) if r in plain and not _refused(page, plain[r])]
        assert not let_in, f"{role} may open pages counted as not theirs: {let_in}"
