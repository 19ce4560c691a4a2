"""Write arrangements in the import format; formulas are neutralised, unknowns stay empty."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from matchmaker.db import Arrangement, Membership
from matchmaker.ingest.arrangements_csv import EXPORT_COLUMNS, csv_kind
from matchmaker.ingest.csvfile import escape_cell
from matchmaker.ingest.savings_periods import FIELDS as PERIOD_FIELDS


def arrangements_for_export(session: Session) -> list[Arrangement]:
    return list(
        session.scalars(
            select(Arrangement)
            .order_by(Arrangement.public_id)
            .options(
                selectinload(Arrangement.members).selectinload(Membership.organisation),
                selectinload(Arrangement.services),
                selectinload(Arrangement.savings),
            )
        )
    )


def arrangement_row(arrangement: Arrangement) -> dict[str, str]:
    headline = arrangement.savings[0] if arrangement.savings else None
    organisations = [m.organisation for m in arrangement.members]
    return {
        "arrangement_id": arrangement.public_id,
        "name": arrangement.name,
        "council_codes": ";".join(o.gss_code or "" for o in organisations),
        "council_names": ";".join(o.display_name for o in organisations),
        "service_areas": ";".join(s.slug for s in arrangement.services),
        "start_year": _text(arrangement.start_year),
        "end_year": _text(arrangement.end_year),
        "status": arrangement.status,
        "savings_gbp": format_amount(headline.amount_gbp) if headline else "",
        "savings_kind": csv_kind(headline.kind, headline.period) if headline else "",
        "other_partners": arrangement.other_partners or "",
        "source_url": arrangement.source_url or "",
        "evidence": arrangement.evidence or "",
        **period_cells(headline),
    }


def period_cells(headline) -> dict[str, str]:
    """The optional period columns of the headline figure, after the format's own columns."""
    cells = {}
    for _, column, attribute in PERIOD_FIELDS:
        value = getattr(headline, attribute) if headline is not None else None
        if isinstance(value, bool):
            value = "yes" if value else "no"
        cells[column] = _text(value)
    return cells


def write_arrangements_csv(arrangements: Iterable[Arrangement], out: io.TextIOBase) -> int:
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    count = 0
    for arrangement in arrangements:
        row = arrangement_row(arrangement)
        writer.writerow({key: escape_cell(value) for key, value in row.items()})
        count += 1
    return count


def arrangements_csv_text(session: Session) -> str:
    buffer = io.StringIO()
    write_arrangements_csv(arrangements_for_export(session), buffer)
    return buffer.getvalue()


def format_amount(amount: Decimal | float) -> str:
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:.2f}"


def _text(value: object) -> str:
    return "" if value is None else str(value)
