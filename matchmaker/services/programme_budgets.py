"""Programme budgets: an admin sets what may be committed per financial year and kind of offer, and
the amount above which an offer needs a second adviser's approval.

Commitments against a budget are serialised by locking its row (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite a write to the row takes the database's write lock) before the year's
commitments are summed, so two approvals can never both take the last of it.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from matchmaker.core.money import OFFER_KINDS, MoneyError, format_pence, parse_pounds, year_label
from matchmaker.db import FundingOffer, ProgrammeBudget
from matchmaker.db.programme import COMMITTED_STATUSES
from matchmaker.services import audit
from matchmaker.services.access import Principal

KIND_LABELS = dict(OFFER_KINDS)
FIRST_YEAR, LAST_YEAR = 2000, 2100


class BudgetRefused(PermissionError):
    """Only admins set budgets."""


class InvalidBudget(ValueError):
    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in fields.items()))
        self.fields = fields


class BudgetBelowCommitted(InvalidBudget):
    """The amount is less than the year's offers already hold (depends on the data, not the input)."""


def is_admin(principal: Principal) -> bool:
    return principal.role == "admin"


def set_budget(session: Session, principal: Principal, data: dict) -> ProgrammeBudget:
    """Create or change the budget for (financial_year, kind); amounts arrive in pounds as typed."""
    if not is_admin(principal):
        raise BudgetRefused("only an admin sets programme budgets")
    year, kind, amount, threshold = _checked(data)
    budget = session.scalar(
        select(ProgrammeBudget)
        .where(ProgrammeBudget.financial_year == year, ProgrammeBudget.kind == kind)
        .with_for_update()
    )
    committed = committed_pence(session, year, kind)
    if amount < committed:
        raise BudgetBelowCommitted(
            {
                "amount": f"{year_label(year)} already has {format_pence(committed)} committed "
                f"to {KIND_LABELS[kind].lower()}; the budget cannot be less"
            }
        )
    if budget is None:
        budget = ProgrammeBudget(financial_year=year, kind=kind, demo=False)
        session.add(budget)
    budget.amount_pence, budget.approval_threshold_pence = amount, threshold
    budget.set_by_id = principal.user_id
    session.flush()
    audit.record(
        session,
        principal.actor,
        "programme.budget_set",
        "programme_budget",
        budget.id,
        financial_year=year,
        kind=kind,
        amount_pence=amount,
        approval_threshold_pence=threshold,
    )
    return budget


def _checked(data: dict) -> tuple[int, str, int, int]:
    errors: dict[str, str] = {}
    year_text = str(data.get("financial_year") or "").strip()
    year = int(year_text[:4]) if year_text[:4].isdigit() else None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors["financial_year"] = "choose the financial year, for example 2026 for 2026-27"
    kind = data.get("kind")
    if kind not in KIND_LABELS:
        errors["kind"] = "choose expert support or mediation"
    amounts = {}
    for name in ("amount", "approval_threshold"):
        try:
            amounts[name] = parse_pounds(data.get(name))
        except MoneyError as error:
            errors[name] = str(error)
    if errors:
        raise InvalidBudget(errors)
    return year, kind, amounts["amount"], amounts["approval_threshold"]


def budget_for(session: Session, year: int, kind: str) -> ProgrammeBudget | None:
    return session.scalar(
        select(ProgrammeBudget).where(ProgrammeBudget.financial_year == year, ProgrammeBudget.kind == kind)
    )


def lock_budget(session: Session, year: int, kind: str) -> ProgrammeBudget | None:
    """The budget row, locked until the transaction ends; None when no budget is set."""
    budget = session.scalar(
        select(ProgrammeBudget)
        .where(ProgrammeBudget.financial_year == year, ProgrammeBudget.kind == kind)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if budget is not None and session.get_bind().dialect.name == "sqlite":
        session.execute(
            update(ProgrammeBudget)
            .where(ProgrammeBudget.id == budget.id)
            .values(amount_pence=ProgrammeBudget.amount_pence)
        )
    return budget


def committed_pence(session: Session, year: int, kind: str) -> int:
    """What offers made to councils (not refused, not declined) hold of the year's budget."""
    return int(
        session.scalar(
            select(func.coalesce(func.sum(FundingOffer.amount_pence), 0)).where(
                FundingOffer.financial_year == year,
                FundingOffer.kind == kind,
                FundingOffer.status.in_(COMMITTED_STATUSES),
            )
        )
        or 0
    )


def budgets(session: Session) -> list[ProgrammeBudget]:
    return list(
        session.scalars(select(ProgrammeBudget).order_by(ProgrammeBudget.financial_year.desc(), ProgrammeBudget.kind))
    )
