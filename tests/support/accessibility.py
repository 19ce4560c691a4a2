"""The axe-core scan used by the browser tests: serious and critical violations on a page."""

from __future__ import annotations

from matchmaker.web import HERE as WEB_DIR
from tests.support.browser_server import browser_page

AXE = WEB_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"


def scanning_page(browser, base_url: str, **context_options):
    """``browser_page`` in which the vendored axe script may be injected (CSP bypassed here only)."""
    return browser_page(browser, base_url, bypass_csp=True, **context_options)


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
