"""Names from the data reach the maps' tooltips as text, never as HTML (finding: an approved
arrangement name made <img onerror> and <svg onload> elements in the hover tooltip)."""

from __future__ import annotations

import re

from matchmaker.web import HERE
from tests.support.browser_server import BROWSER_TESTS

HOSTILE = '<img src=x id=injected onerror="window.ran=1"><svg onload="window.ran=1">'


def test_every_tooltip_is_given_a_text_label_not_a_string():
    scripts = {path.name: path.read_text() for path in (HERE / "static" / "js").glob("*.js")}
    calls = [(name, call) for name, script in scripts.items() for call in re.findall(r"bindTooltip\(([^,)]*)", script)]
    assert calls, "the maps no longer bind tooltips: update this test"
    assert all(call.startswith("M.label(") for _, call in calls), calls


@BROWSER_TESTS[0]
@BROWSER_TESTS[1]
def test_a_label_holds_markup_as_text_in_the_browser(page):
    page.goto("/map")
    page.wait_for_selector("[data-national-map][data-ready=true]")
    shown = page.evaluate(
        """(text) => {
            const node = window.MatchmakerMaps.label(text)
            document.body.appendChild(node)
            return {text: node.textContent, elements: node.querySelectorAll('*').length,
                    injected: document.getElementById('injected') !== null, ran: window.ran === 1}
        }""",
        HOSTILE,
    )
    assert shown == {"text": HOSTILE, "elements": 0, "injected": False, "ran": False}
