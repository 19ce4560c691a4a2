"""Links in the column lists (a council's partners, the home page's services) are at least 44 px
tall on a phone-sized screen, so that a finger can hit the one it means."""

from __future__ import annotations

import pytest

from tests.support.browser_server import BROWSER_TESTS, browser_page
from tests.support.pages import ADUR

pytestmark = BROWSER_TESTS
MINIMUM_PX = 44


@pytest.mark.parametrize("path", [f"/councils/{ADUR}", "/"])
def test_links_in_column_lists_are_44_px_tall(browser, live_server, path):
    phone = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True}
    with browser_page(browser, live_server.url, **phone) as page:
        page.goto(path)
        heights = page.eval_on_selector_all(
            ".app-columns a", "links => links.map(a => a.getBoundingClientRect().height)"
        )
        assert heights, "no links in a column list"
        assert min(heights) >= MINIMUM_PX, heights
