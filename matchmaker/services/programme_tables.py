"""The programme dashboard's figures as titled tables: one shape for the page's tables, the CSV
and the Excel workbook, so the three always say the same. Money cells are whole pence, marked
by the column so writers can show pounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matchmaker.core.results import SAVINGS_MEASURES


@dataclass(frozen=True)
class FigureTable:
    name: str
    title: str
    columns: list[str]
    money: frozenset[int]  # indexes of columns holding pence
    rows: list[list[Any]]


def _counts(name: str, title: str, heading: str, rows: list[dict[str, Any]]) -> FigureTable:
    return FigureTable(name, title, [heading, "Requests"], frozenset(), [[r["label"], r["requests"]] for r in rows])


def figure_tables(figures: dict[str, Any]) -> list[FigureTable]:
    requests = figures["requests"]
    supported = figures["supported_arrangements"]
    measures = [label for _, label in SAVINGS_MEASURES]
    return [
        _counts("requests_by_status", "Requests by status", "Status", requests["by_status"]),
        _counts("requests_by_region", "Requests by region", "Region", requests["by_region"]),
        _counts("requests_by_service", "Requests by service", "Service", requests["by_service"]),
        FigureTable(
            "results",
            "Results of finished requests",
            ["Measure", "Value"],
            frozenset(),
            [
                ["Requests received", requests["total"]],
                ["Finished (arrangement formed or enlarged, or closed)", requests["finished"]],
                ["Led to an arrangement", requests["led_to_arrangement"]],
                [
                    "Share of finished requests that led to an arrangement (%)",
                    None
                    if requests["share_led_to_arrangement"] is None
                    else round(requests["share_led_to_arrangement"] * 100, 1),
                ],
                ["Median days from request to introductions", requests["median_days_to_introduction"]],
                ["Requests that reached introductions", requests["requests_with_introductions"]],
                ["Median days from request to arrangement", requests["median_days_to_arrangement"]],
                ["Requests that reached an arrangement", requests["requests_with_arrangements"]],
            ],
        ),
        _counts("not_pursued", "Finished requests not pursued, by reason", "Reason", requests["not_pursued_by_reason"]),
        FigureTable(
            "funding",
            "Funding by financial year and offer",
            ["Financial year", "Offer", "Budget", "Awaiting approval", "Offered", "Committed", "Paid", "Left", "Demo"],
            frozenset(range(2, 8)),
            [
                [
                    f["financial_year_label"],
                    f["kind_label"],
                    f["budget_pence"],
                    f["awaiting_approval_pence"],
                    f["offered_pence"],
                    f["committed_pence"],
                    f["paid_pence"],
                    f["left_pence"],
                    "Demo" if f["demo"] else "",
                ]
                for f in figures["funding"]
            ],
        ),
        FigureTable(
            "supported_arrangements",
            "Savings reported by supported arrangements against the funding paid",
            ["Arrangement", "Name", "Requests", "Funding paid", "Savings from year", *measures, "Demo"],
            frozenset({3, 5, 6, 7}),
            [
                [
                    a["arrangement_id"],
                    a["name"],
                    ", ".join(str(i) for i in a["request_ids"]),
                    a["funding_paid_pence"],
                    a["savings_since_label"],
                    *(a["savings_pence"][m] for m, _ in SAVINGS_MEASURES),
                    "Demo" if a["demo"] else "",
                ]
                for a in supported["arrangements"]
            ]
            + [
                [
                    "All",
                    "All supported arrangements",
                    "",
                    supported["funding_paid_pence"],
                    "",
                    *(supported["savings_pence"][m] for m, _ in SAVINGS_MEASURES),
                    "",
                ]
            ],
        ),
    ]
