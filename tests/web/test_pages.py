"""Pages render known answers from the bundled real data."""

from __future__ import annotations

import json
import re

from matchmaker.flask_database import get_session
from matchmaker.services.statistics import national_statistics
from tests.support.pages import ADUR, text


def test_home_counts_and_search_form_work_without_javascript(client):
    html = text(client.get("/"))
    assert 'action="/search"' in html and 'name="q"' in html
    results = text(client.get("/search?q=adur"))
    assert "Adur District Council" in results
    assert f'href="/councils/{ADUR}"' in results


def test_search_by_exact_code_goes_to_the_council(client):
    response = client.get(f"/search?q={ADUR.lower()}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/councils/{ADUR}")


def test_search_json_feeds_the_autocomplete(client):
    body = client.get("/search.json?q=worth").get_json()
    assert body["results"][0]["gss_code"] == "E07000229"
    assert body["results"][0]["url"] == "/councils/E07000229"
    assert client.get("/search.json?q=w").get_json()["results"] == []


def test_search_with_no_match_says_so(client):
    html = text(client.get("/search?q=zzqx"))
    assert "No council matches" in html


def test_council_page_shows_profile_arrangements_partners_and_savings(client):
    html = text(client.get(f"/councils/{ADUR}"))
    assert "<h1 class=\"govuk-heading-l\">Adur District Council</h1>" in html
    assert "West Sussex County Council" in html  # county area
    assert "Adur and Worthing Councils" in html
    assert "£17m over 2007–2017, about £1.7m a year" in html  # R004's total over the ten years it covers
    points = json.loads(re.search(r'data-points="([^"]+)"', html).group(1).replace("&#34;", '"'))
    assert {"E07000223", "E07000229"} <= {p["code"] for p in points}


def test_abolished_council_links_to_its_successor(client):
    html = text(client.get("/councils/E07000190"))  # Taunton Deane, merged in 2019
    assert "abolished" in html
    assert "/councils/E07000246" in html


def test_unknown_council_is_a_designed_404(client):
    response = client.get("/councils/E99999999")
    assert response.status_code == 404
    assert "Page not found" in text(response)


def test_find_partners_ranks_explains_and_estimates(client):
    response = client.get(f"/find-partners?council={ADUR}&service=legal-democratic")
    html = text(response)
    assert response.status_code == 200
    candidates = re.findall(r'<li class="app-candidate" id="candidate-(E\d{8})"', html)
    assert len(candidates) == 10
    assert candidates[0] == "E07000227"  # Horsham: same county, neighbour, worked together before
    assert "E07000229" in candidates  # Worthing: neighbour, already shares five services (R004)
    assert "In the same county area (West Sussex)" in html
    assert "Neighbouring council" in html
    assert "reciprocal" in html
    assert "80% interval" in html or "The evidence is too thin for an estimate" in html or "No estimate" in html
    assert "back_office" not in html and "figure(s)" not in html
    assert "Lewes and Eastbourne joint transformation programme" in html  # join existing
    assert "app-contributions__rect" in html  # contribution bars
    assert 'data-places-map' in html and "E07000227" in html


def test_find_partners_every_service_renders(client):
    services = re.findall(r'<option value="([a-z-]+)"', text(client.get("/find-partners")))
    assert len(set(services)) == 15
    for slug in set(services):
        response = client.get(f"/find-partners?council=E08000035&service={slug}")
        assert response.status_code == 200, slug


def test_find_partners_names_the_field_at_fault(client):
    response = client.get("/find-partners?council=E99999999&service=legal-democratic")
    assert response.status_code == 400
    html = text(response)
    assert "There is no current council with the code E99999999" in html
    assert 'href="#council"' in html
    response = client.get(f"/find-partners?council={ADUR}&service=nonsense")
    assert response.status_code == 400 and "Select one of the 15 services" in text(response)


def test_statistics_page_shows_the_service_figures(app, client):
    html = text(client.get("/statistics"))
    with app.app_context():
        figures = national_statistics(get_session())
    totals = figures["totals"]
    assert f'<span class="app-total">{totals["arrangements"]}</span> arrangements' in html
    assert f'<span class="app-total">{totals["without_savings_figures"]}</span> without savings figures' in html
    for key in ("by_service_group", "by_service", "by_region", "by_tier_pair", "by_status", "by_start_year"):
        assert f'id="chart-{key}"' in html
        assert f'id="{key}"' in html
    assert "Revenues and benefits" in html
    assert "<rect class=\"app-chart__bar\"" in html
    assert "style=" not in html


def test_statistics_page_for_a_past_year(app, client):
    html = text(client.get("/statistics?year=2015"))
    with app.app_context():
        figures = national_statistics(get_session(), 2015)
    assert f'<span class="app-total">{figures["totals"]["arrangements"]}</span> arrangements' in html
    assert "Shared services in numbers, 2015" in html and 'value="2015" selected' in html
    assert 'id="year-note"' in html and 'id="year-note"' not in text(client.get("/statistics"))
    refused = client.get("/statistics?year=1066")
    assert refused.status_code == 400 and "Choose a year from" in text(refused)


def test_server_errors_and_unavailability_have_designed_pages(app):
    from flask import abort

    def broken():
        raise RuntimeError("boom")

    app.add_url_rule("/test-broken", "test_broken", broken)
    app.add_url_rule("/test-unavailable", "test_unavailable", lambda: abort(503))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    response = client.get("/test-broken")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in text(response)
    assert "govuk-footer" in text(response)
    response = client.get("/test-unavailable")
    assert response.status_code == 503
    assert "govuk-footer" in text(response)


def test_find_partners_lists_existing_partners_and_states_fit_in_words(client):
    html = text(client.get("/find-partners?council=E07000229&service=revenues-benefits"))
    existing = re.search(r'<ul class="govuk-list app-existing-partners".*?</ul>', html, re.S).group(0)
    assert re.findall(r'<li id="existing-(E\d{8})"', existing) == [ADUR]
    assert 'href="/arrangements/R004/history">Adur and Worthing Councils</a>, since 2007' in existing
    assert "100%" not in re.sub(r"<[^>]+>", " ", html)  # in the words shown (a chart's width may be 100%)
    assert html.count("In past years ") >= 10 and "In past years about 1 in 3" in html
    assert "the combined fit is the geometric mean of the two" in html


def test_an_abolished_council_in_the_form_points_to_its_successor(client):
    response = client.get("/find-partners?council=E07000201&service=legal-democratic")  # Forest Heath
    assert response.status_code == 200
    html = text(response)
    assert "Forest Heath District Council was abolished on 31 March 2019. Its work passed to its successor" in html
    assert 'href="/find-partners?council=E07000245&amp;service=legal-democratic">West Suffolk Council</a>' in html
    assert "app-candidate" not in html
