"""The API documentation: a plain GOV.UK page listing every operation of the OpenAPI document
and linking it, with no serious accessibility failure; and the interactive documentation, which
renders in a real browser from vendored files only, with no inline script (a CSP violation or a
failed request would show as a browser error)."""

import re

import pytest

from tests.support.accessibility import scanning_page, serious_violations


def test_docs_page_lists_every_operation_and_links_the_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    html = client.get("/api/v1/docs").get_data(as_text=True)
    listed = set(re.findall(r"<code>(GET|POST|PUT|PATCH|DELETE) ([^<]+)</code>", html))
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert listed == documented
    assert 'href="/api/v1/openapi.json"' in html and 'href="/api/v1/docs/interactive"' in html
    headings = re.findall(r"<h([1-6])", html)
    assert headings[0] == "1" and all(int(b) - int(a) <= 1 for a, b in zip(headings, headings[1:]))
    assert "<h3" in html and ">Recommendations</h3>" in html


@pytest.mark.browser
def test_docs_page_passes_the_accessibility_scan(browser, live_server, artifacts):
    with scanning_page(browser, live_server.url) as page:
        page.goto("/api/v1/docs")
        serious = serious_violations(page)
        page.screenshot(path=str(artifacts / "api-docs-page.png"), full_page=True)
        assert not serious, "\n".join(serious)


@pytest.mark.browser
def test_swagger_ui_lists_every_resource(page, live_server, artifacts):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/interactive")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for expected in ("/api/v1/organisations", "/api/v1/recommendations", "/api/v1/statistics"):
        assert any(p.replace("\u200b", "") == expected for p in paths), (expected, paths)
    assert "Shared Service Matchmaker API" in page.locator(".title").inner_text()
    assert all(url.startswith(live_server.url) for url in requested), requested
    page.screenshot(path=str(artifacts / "api-docs.png"))
