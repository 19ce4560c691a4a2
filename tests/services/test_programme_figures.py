"""The programme dashboard's figures on a known programme (see tests/support/programme.py)."""

from matchmaker.db import Arrangement
from matchmaker.flask_database import get_database
from matchmaker.services.programme_figures import programme_figures
from tests.support.programme import build_programme


def _figures(app):
    with get_database(app).transaction() as session:
        return programme_figures(session)


def test_requests_and_results(app):
    build_programme(app)
    requests = _figures(app)["requests"]
    assert requests["total"] == 3
    assert {r["key"]: r["requests"] for r in requests["by_status"]} == {
        "submitted": 1,
        "triaged": 0,
        "suggestions_sent": 0,
        "introductions_made": 0,
        "arrangement_formed": 1,
        "closed": 1,
    }
    assert requests["by_region"] == [{"key": "South East", "label": "South East", "requests": 3}]
    assert requests["by_service"] == [
        {"key": "Legal and democratic services", "label": "Legal and democratic services", "requests": 3}
    ]
    assert (requests["finished"], requests["led_to_arrangement"], requests["share_led_to_arrangement"]) == (2, 1, 0.5)
    assert requests["not_pursued_by_reason"] == [
        {"key": "timing", "label": "Not the right time for the council", "requests": 1}
    ]
    assert (requests["median_days_to_introduction"], requests["requests_with_introductions"]) == (10.0, 1)
    assert (requests["median_days_to_arrangement"], requests["requests_with_arrangements"]) == (31.0, 1)


def test_funding_by_year_and_offer_across_the_year_boundary(app):
    build_programme(app)
    funding = _figures(app)["funding"]
    assert funding == [
        {
            "financial_year": 2026,
            "financial_year_label": "2026-27",
            "kind": "mediation",
            "kind_label": "Mediation",
            "budget_pence": 200000,
            "awaiting_approval_pence": 0,
            "offered_pence": 200000,
            "committed_pence": 200000,
            "paid_pence": 0,
            "left_pence": 0,
            "demo": False,
        },
        {
            "financial_year": 2025,
            "financial_year_label": "2025-26",
            "kind": "expert_support",
            "kind_label": "Expert support",
            "budget_pence": 1000000,
            "awaiting_approval_pence": 600000,
            "offered_pence": 350000,
            "committed_pence": 300000,
            "paid_pence": 100000,
            "left_pence": 700000,
            "demo": False,
        },
    ]


def test_savings_of_supported_arrangements_by_kind_against_funding_paid(app):
    ids = build_programme(app)
    supported = _figures(app)["supported_arrangements"]
    with get_database(app).transaction() as session:
        arrangement = session.get(Arrangement, ids["arrangement"])
        public_id, name = arrangement.public_id, arrangement.name
    assert supported == {
        "arrangements": [
            {
                "arrangement_id": public_id,
                "name": name,
                "request_ids": [ids["formed"]],
                "funding_paid_pence": 100000,
                "savings_since_year": 2026,
                "savings_since_label": "2026-27",
                "savings_pence": {"achieved_annual": 1250025, "achieved_cumulative": None, "expected": 3000000},
                "demo": False,
            }
        ],
        "funding_paid_pence": 100000,
        "savings_pence": {"achieved_annual": 1250025, "achieved_cumulative": None, "expected": 3000000},
    }


def test_empty_programme_has_no_figures_not_zeros(empty_app):
    figures = _figures(empty_app)
    assert figures["requests"]["share_led_to_arrangement"] is None
    assert figures["requests"]["median_days_to_arrangement"] is None
    assert figures["funding"] == []
    assert figures["supported_arrangements"]["savings_pence"] == {
        "achieved_annual": None,
        "achieved_cumulative": None,
        "expected": None,
    }
