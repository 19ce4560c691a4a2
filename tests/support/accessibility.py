"""The axe-core scan used by the browser tests: serious and critical violations on a page."""

from __future__ import annotations

from matchmaker.web import HERE as WEB_DIR

AXE = WEB_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"


def scanning_context(browser, base_url: str):
    """A browser context in which the vendored axe script may be injected (CSP bypassed here only)."""
    return browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900}, bypass_csp=True)


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
