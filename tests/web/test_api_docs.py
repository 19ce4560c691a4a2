"""The interactive documentation renders in a real browser, from vendored files only, with no
inline script (a CSP violation or a failed request would show as a browser error)."""

import pytest


@pytest.mark.browser
def test_swagger_ui_lists_every_resource(page, live_server, artifacts):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    for expected in ("/api/v1/organisations", "/api/v1/recommendations", "/api/v1/statistics"):
        assert any(p.replace("\u200b", "") == expected for p in paths), (expected, paths)
    assert "Shared Service Matchmaker API" in page.locator(".title").inner_text()
    assert all(url.startswith(live_server.url) for url in requested), requested
    page.screenshot(path=str(artifacts / "api-docs.png"))
