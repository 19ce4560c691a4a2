"""The main pages do not jump while they load: cumulative layout shift, as the browser reports it
through PerformanceObserver, stays under 0.1 (Core Web Vitals' "good") on a phone-sized screen.

Pages with a map are measured once its boundaries are drawn, so the shift of drawing them counts.
"""

from __future__ import annotations

import pytest

from tests.support.browser_server import BROWSER_TESTS, browser_page
from tests.support.pages import ADUR

pytestmark = BROWSER_TESTS
GOOD_CLS = 0.1
PHONE = {"width": 412, "height": 823}
PAGES = {  # name: (path, selector present once the page has finished drawing)
    "home": ("/", None),
    "statistics": ("/statistics", None),
    "map": ("/map", "[data-national-map][data-ready=true]"),
    "find-partners": (f"/find-partners?council={ADUR}&service=legal-democratic", ".app-map__boundary"),
    "council": (f"/councils/{ADUR}", ".app-map__boundary"),
}
OBSERVE = """
window.__layoutShift = 0;
window.__layoutShifts = [];
window.__shiftObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__layoutShift += entry.value;
    window.__layoutShifts.push({value: entry.value, nodes: entry.sources.map(
      (s) => s.node ? (s.node.id || s.node.className || s.node.nodeName) : '?')});
  }
});
window.__shiftObserver.observe({type: 'layout-shift', buffered: true});
"""
COLLECT = """
() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
  window.__shiftObserver.takeRecords().forEach((entry) => {
    if (!entry.hadRecentInput) window.__layoutShift += entry.value;
  });
  resolve({total: window.__layoutShift, shifts: window.__layoutShifts});
})))
"""


@pytest.mark.parametrize("name", list(PAGES))
def test_main_pages_do_not_shift_while_loading(browser, live_server, name):
    path, drawn = PAGES[name]
    with browser_page(browser, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        # A phone's slower processor, as Lighthouse's mobile run assumes: scripts that run late
        # then run after the first paint, where any change they make to the layout shows.
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.add_init_script(OBSERVE)
        page.goto(path, wait_until="load")
        if drawn:
            page.wait_for_selector(drawn, state="attached")
        assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
        result = page.evaluate(COLLECT)
        assert result["total"] < GOOD_CLS, result["shifts"]
