"""At 375 px nothing scrolls sideways, and the labels on the Find partners map neither overlap
nor run past the map's edge."""

from __future__ import annotations

import pytest

from tests.support.accessibility import scanning_page
from tests.support.browser_server import BROWSER_TESTS
from tests.support.pages import wait_until_drawn

pytestmark = BROWSER_TESTS
FIND = "/find-partners?council=E07000223&service=legal-democratic"
VISIBLE_LABELS = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect()
  return {box: [box.left, box.top, box.right, box.bottom],
          placed_for: document.querySelector(selector).getAttribute('data-labels-for'),
          labels: [...document.querySelectorAll(selector + ' .app-map__label')]
            .filter(e => getComputedStyle(e).visibility !== 'hidden')
            .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom] })}
}"""

# Focus the last thing before the element that Tab would stop at.
FOCUS_JUST_BEFORE = """(element) => {
  const before = [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex="0"]')]
    .filter(e => !e.disabled && e.getClientRects().length
                 && (element.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_PRECEDING))
  before[before.length - 1].focus()
}"""

MAP_SIZE = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect()
  return Math.round(box.width) + 'x' + Math.round(box.height)
}"""


@pytest.mark.parametrize("path", ["/map", "/statistics", FIND, "/councils/E07000223"])
def test_no_sideways_scroll_at_375_px(page, path):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(path)
    wait_until_drawn(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("width", [375, 1280])
def test_find_partners_map_labels_do_not_overlap_or_clip(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(FIND)
    page.wait_for_selector("[data-places-map] .app-map__label", state="attached")
    wait_until_drawn(page)
    # Labels are placed for a given size of the map; wait until they have been for its size now.
    size = page.evaluate(MAP_SIZE, "[data-places-map]")
    page.wait_for_selector(f'[data-places-map][data-labels-for="{size}"]', state="attached")
    found = page.evaluate(VISIBLE_LABELS, "[data-places-map]")
    assert found["placed_for"] == size, "the map changed size while it was measured"
    left, top, right, bottom = found["box"]
    labels = found["labels"]
    assert labels, "no label is shown"
    for index, (l1, t1, r1, b1) in enumerate(labels):
        assert left <= l1 and r1 <= right and top <= t1 and b1 <= bottom
        for l2, t2, r2, b2 in labels[index + 1 :]:
            assert not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1), "two labels overlap"


# Whether the map was in the middle of a zoom each time its labels were placed.
RECORD_LABEL_PLACINGS = """new MutationObserver(records => records.forEach(r => {
  if (r.attributeName === 'data-labels-for') {
    window.labelPlacings = window.labelPlacings || []
    window.labelPlacings.push(r.target.querySelector('.leaflet-zoom-anim') !== null)
  }
})).observe(document, {attributes: true, subtree: true})"""


@pytest.mark.parametrize("width", [375, 1280])
def test_find_partners_map_places_its_labels_only_when_it_is_still(page, width):
    # Labels measured in the middle of a zoom are where the zoom leaves them, not where they end up.
    page.set_viewport_size({"width": width, "height": 900})
    page.add_init_script(RECORD_LABEL_PLACINGS)
    page.goto(FIND)
    wait_until_drawn(page)
    placings = page.evaluate("window.labelPlacings")
    assert placings and not any(placings)


def test_statistics_chart_labels_start_inside_their_chart_at_375_px(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/statistics")
    clipped = page.evaluate("""() => [...document.querySelectorAll('svg.app-chart')].flatMap(svg => {
      const left = svg.getBoundingClientRect().left
      return [...svg.querySelectorAll('.app-chart__label')]
        .filter(t => t.getBoundingClientRect().left < left - 0.5).map(t => t.textContent)
    })""")
    assert clipped == []


def test_a_table_wider_than_the_screen_is_reached_with_tab_and_scrolled_with_the_arrow_keys(browser, live_server):
    # A context that may wait on a script predicate (the page's CSP refuses them otherwise).
    with scanning_page(browser, live_server.url, viewport={"width": 375, "height": 800}) as page:
        page.goto("/map")
        wrapper = page.locator(".app-table-scroll:has(#arrangements-table)")
        # Checked once laid out, which a long table is only as it nears the screen.
        wrapper.scroll_into_view_if_needed()
        page.locator(".app-table-scroll[data-scrolls]:has(#arrangements-table)").wait_for(state="attached")
        assert wrapper.get_attribute("tabindex") == "0" and wrapper.get_attribute("role") == "region"
        name = page.locator(f"#{wrapper.get_attribute('aria-labelledby')}")
        assert name.evaluate("e => e.tagName") == "CAPTION" and "Arrangements" in name.text_content()
        wrapper.evaluate(FOCUS_JUST_BEFORE)
        page.keyboard.press("Tab")
        assert wrapper.evaluate("e => e === document.activeElement")
        assert wrapper.evaluate("e => e.scrollLeft") == 0
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")


def test_a_table_that_fits_is_no_tab_stop(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/councils/E07000223")
    wrappers = page.locator(".app-table-scroll")
    assert wrappers.count() >= 1
    for index in range(wrappers.count()):
        wrappers.nth(index).scroll_into_view_if_needed()
    page.locator(".app-table-scroll:not([data-scrolls])").first.wait_for(state="detached")
    for index in range(wrappers.count()):
        assert wrappers.nth(index).get_attribute("data-scrolls") == "false"
        assert wrappers.nth(index).get_attribute("tabindex") is None
        assert wrappers.nth(index).get_attribute("role") is None
