"""The programme dashboard's figures, computed once here for the page, its downloads and the API.

- Requests: every match-making request received, by status, region and service; of the finished
  ones (arrangement formed or enlarged, or closed), the share that led to an arrangement; median
  days from the request to introductions and to the arrangement, over the requests that got there.
- Funding, by financial year and offer: the budget; awaiting approval; offered (every offer that
  went to the council, whatever it answered); committed (offered and not declined: what holds the
  budget); paid (claims recorded against that year's offers); left (budget less committed).
- Supported arrangements: arrangements formed or enlarged by a request whose funding was paid,
  with the funding paid and the savings reported for the year it was formed or later, by kind
  (achieved a year, achieved in total, expected): never added across kinds.
Amounts are whole pence; a missing figure is None, never 0.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.core.money import OFFER_KINDS, financial_year, year_label
from matchmaker.core.results import (
    REASON_LABELS,
    SAVINGS_MEASURES,
    add_savings,
    days_between,
    later_savings,
    median_days,
    outcome,
    share,
)  # fmt: skip
from matchmaker.db import Arrangement, FundingOffer, MatchRequest, ProgrammeBudget
from matchmaker.services import request_lifecycle
from matchmaker.services.programme_results import formed_on, reports

KIND_LABELS = dict(OFFER_KINDS)
NO_REGION = "Region not known"


def programme_figures(session: Session) -> dict[str, Any]:
    requests = list(
        session.scalars(
            select(MatchRequest)
            .options(
                selectinload(MatchRequest.events),
                selectinload(MatchRequest.organisation),
                selectinload(MatchRequest.service_area),
            )
            .order_by(MatchRequest.id)
        )
    )
    offers = list(session.scalars(select(FundingOffer).options(selectinload(FundingOffer.claims))))
    return {
        "requests": _requests(requests),
        "funding": _funding(session, offers),
        "supported_arrangements": _supported(session, requests, offers),
    }


def _counted(counter: Counter, labels: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Every labelled key (zeros included) in the labels' order, or the counted keys by name."""
    keys = list(labels) if labels else sorted(counter, key=lambda k: (k == NO_REGION, k))
    return [{"key": k, "label": (labels or {}).get(k, k), "requests": counter.get(k, 0)} for k in keys]


def _first_day(request: MatchRequest, status: str) -> date | None:
    days = [e.at.date() for e in request.events if e.kind == "status" and e.to_status == status]
    return min(days) if days else None


def _requests(requests: list[MatchRequest]) -> dict[str, Any]:
    outcomes = [outcome(r.status, r.kind, r.not_pursued_reason) for r in requests]
    finished = [o for o in outcomes if o is not None]
    led = sum(1 for o in finished if o.kind in ("formed", "enlarged"))
    to_introduction = [
        days_between(r.created_at.date(), d) for r in requests if (d := _first_day(r, "introductions_made")) is not None
    ]
    to_arrangement = [
        days_between(r.created_at.date(), d) for r in requests if (d := _first_day(r, "arrangement_formed")) is not None
    ]
    reasons = Counter(o.reason for o in finished if o.kind == "not_pursued")
    return {
        "total": len(requests),
        "by_status": _counted(Counter(r.status for r in requests), dict(request_lifecycle.LABELS)),
        "by_region": _counted(Counter(r.organisation.region or NO_REGION for r in requests)),
        "by_service": _counted(Counter(r.service_area.name for r in requests)),
        "finished": len(finished),
        "led_to_arrangement": led,
        "share_led_to_arrangement": share(led, len(finished)),
        "not_pursued_by_reason": [
            {"key": k, "label": label, "requests": reasons[k]} for k, label in REASON_LABELS.items() if reasons[k]
        ],
        "median_days_to_introduction": median_days(to_introduction),
        "requests_with_introductions": len(to_introduction),
        "median_days_to_arrangement": median_days(to_arrangement),
        "requests_with_arrangements": len(to_arrangement),
    }


def _funding(session: Session, offers: list[FundingOffer]) -> list[dict[str, Any]]:
    budgets = {(b.financial_year, b.kind): b for b in session.scalars(select(ProgrammeBudget))}
    keys = sorted(
        set(budgets) | {(o.financial_year, o.kind) for o in offers},
        key=lambda k: (-k[0], list(KIND_LABELS).index(k[1])),
    )
    rows = []
    for year, kind in keys:
        mine = [o for o in offers if (o.financial_year, o.kind) == (year, kind)]
        budget = budgets.get((year, kind))
        committed = sum(o.amount_pence for o in mine if o.status in ("offered", "accepted"))
        rows.append(
            {
                "financial_year": year,
                "financial_year_label": year_label(year),
                "kind": kind,
                "kind_label": KIND_LABELS[kind],
                "budget_pence": budget.amount_pence if budget else None,
                "awaiting_approval_pence": sum(o.amount_pence for o in mine if o.status == "awaiting_approval"),
                "offered_pence": sum(o.amount_pence for o in mine if o.status in ("offered", "accepted", "declined")),
                "committed_pence": committed,
                "paid_pence": sum(o.paid_pence for o in mine),
                "left_pence": budget.amount_pence - committed if budget else None,
                "demo": bool(budget.demo) if budget else any(o.demo for o in mine),
            }
        )
    return rows


def _supported(session: Session, requests: list[MatchRequest], offers: list[FundingOffer]) -> dict[str, Any]:
    paid_by_request: dict[int, int] = defaultdict(int)
    demo_requests: set[int] = set()
    for found in offers:
        paid_by_request[found.request_id] += found.paid_pence
        if found.demo:
            demo_requests.add(found.request_id)
    by_arrangement: dict[int, list[MatchRequest]] = defaultdict(list)
    for request in requests:
        if request.result_arrangement_id and paid_by_request.get(request.id):
            by_arrangement[request.result_arrangement_id].append(request)
    rows = []
    totals: dict[str, int | None] = {m: None for m, _ in SAVINGS_MEASURES}
    for arrangement_id, led in by_arrangement.items():
        arrangement = session.get(Arrangement, arrangement_id)
        days = [d for r in led if (d := formed_on(r)) is not None]
        since = financial_year(min(days)) if days else None
        savings = (
            later_savings(reports(arrangement), since) if since is not None else {m: None for m, _ in SAVINGS_MEASURES}
        )
        totals = add_savings(totals, savings)
        rows.append(
            {
                "arrangement_id": arrangement.public_id,
                "name": arrangement.name,
                "request_ids": [r.id for r in led],
                "funding_paid_pence": sum(paid_by_request[r.id] for r in led),
                "savings_since_year": since,
                "savings_since_label": year_label(since) if since else None,
                "savings_pence": savings,
                "demo": any(r.id in demo_requests for r in led),
            }
        )
    rows.sort(key=lambda row: row["arrangement_id"])
    return {
        "arrangements": rows,
        "funding_paid_pence": sum(r["funding_paid_pence"] for r in rows),
        "savings_pence": totals,
    }
