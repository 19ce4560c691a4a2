"""Every user-supplied text shown in pages is escaped: script names arrive through the importers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matchmaker.cli import build_cli
from tests.support.arrangements_csv import row, write_csv

SCRIPT = '<script>alert("owned")</script>'
IMAGE = '<img src=x onerror=alert(1)>'
PAGES = [
    "/",
    "/councils/E07000223",
    "/councils/E07000229",
    "/search?q=script",
    "/search?q=Adur",
    "/statistics",
    "/map",
    "/find-partners?council=E07000229&service=legal-democratic",
]


@pytest.fixture
def hostile_app(app, tmp_path):
    """An arrangement and a council whose every free-text field carries markup."""
    arrangements = tmp_path / "arrangements.csv"
    write_csv(
        arrangements,
        [
            row(
                arrangement_id="T-XSS",
                name=f"{SCRIPT} Partnership",
                council_codes="E07000223;E07000229",
                service_areas="legal-democratic",
                start_year=2019,
                status="operational",
                savings_gbp=1000,
                savings_kind="annual",
                other_partners=IMAGE,
                source_url="https://example.org/?q=<b>",
                evidence=f"Evidence {SCRIPT}",
            )
        ],
    )
    councils = tmp_path / "councils.csv"
    with (Path(app.config["DATA_DIR"]) / "councils.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    adur = next(r for r in rows if r["gss_code"] == "E07000223")
    adur["name"], adur["short_name"] = f"Adur {SCRIPT}", f"Adur {IMAGE}"
    with councils.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(adur))
        writer.writeheader()
        writer.writerow(adur)
    runner = app.test_cli_runner()
    for kind, path in (("councils", councils), ("arrangements", arrangements)):
        result = runner.invoke(build_cli(), ["load", kind, str(path)])
        assert result.exit_code == 0, result.output
    return app


@pytest.mark.parametrize("path", PAGES)
def test_pages_never_echo_markup_from_the_data(hostile_app, path):
    response = hostile_app.test_client().get(path)
    assert response.status_code == 200, path
    page = response.get_data(as_text=True)
    assert SCRIPT not in page and IMAGE not in page
    assert "<b>" not in page


def test_the_council_page_shows_the_hostile_names_as_text(hostile_app):
    page = hostile_app.test_client().get("/councils/E07000229").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt; Partnership" in page
    own = hostile_app.test_client().get("/councils/E07000223").get_data(as_text=True)
    assert "Adur &lt;script&gt;" in own or "Adur &lt;img" in own


def test_search_reflects_the_query_escaped(hostile_app):
    page = hostile_app.test_client().get("/search", query_string={"q": SCRIPT}).get_data(as_text=True)
    assert SCRIPT not in page
