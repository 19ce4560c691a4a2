"""Statistics: totals and bar charts by service group, service, region, tier pair, status and
start year, each chart with a table of the same figures; missing savings shown as missing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from matchmaker.flask_database import get_session
from matchmaker.services import stored_statistics
from matchmaker.web.charts import BarChart, bar_chart
from matchmaker.web.filters import GROUP_LABELS, TIER_LABELS, gbp

blueprint = Blueprint("statistics", __name__, url_prefix="/statistics")

SECTIONS = (
    ("by_service_group", "Service group"),
    ("by_service", "Service"),
    ("by_region", "Region"),
    ("by_tier_pair", "Tier pair"),
    ("by_status", "Status"),
    ("by_start_year", "Start year"),
)


def _label(section: str, row: dict[str, Any]) -> str:
    if section == "by_service_group":
        return GROUP_LABELS.get(row["key"], row["label"])
    if section == "by_tier_pair":
        return " and ".join(TIER_LABELS.get(t, t).split(" (")[0].lower() for t in row["key"].split("-"))
    return row["label"]


def _rows(section: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labelled = [{**row, "label": _label(section, row)} for row in rows]
    if section == "by_start_year":
        labelled.sort(key=lambda r: (r["key"] == "unknown", r["key"]))
    return labelled


def _chart(title: str, rows: list[dict[str, Any]]) -> BarChart:
    return bar_chart(
        title, [(r["label"], r["arrangements"], str(r["arrangements"])) for r in rows], width=720, label_width=260
    )


@blueprint.get("")
def index():
    years = stored_statistics.years(get_session())
    asked = request.args.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else None
    error = f"Choose a year from {years[-1]} to {years[0]}." if asked and year is None else None
    figures = stored_statistics.figures(get_session(), year)
    sections = []
    for key, heading in SECTIONS:
        rows = _rows(key, figures[key])
        sections.append(
            {"key": key, "heading": heading, "rows": rows, "chart": _chart(f"Arrangements by {heading.lower()}", rows)}
        )
    page = render_template(
        "statistics/index.html",
        totals=figures["totals"],
        sections=sections,
        gbp=gbp,
        years=years,
        year=year,
        error=error,
    )
    return page, 400 if error else 200
