"""Load everything bundled in data/, in dependency order, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from matchmaker.ingest.arrangements import load_arrangements
from matchmaker.ingest.councils import load_councils, load_neighbours, load_service_areas
from matchmaker.ingest.demo import DemoAccount, load_demo
from matchmaker.ingest.savings_periods import FILE_NAME as SAVINGS_PERIODS


@dataclass
class BundledLoad:
    counts: dict[str, int]
    demo_accounts: list[DemoAccount] = field(default_factory=list)


def load_bundled(
    session: Session, data_dir: Path | str, demo: bool = False, demo_password: str | None = None
) -> BundledLoad:
    data_dir = Path(data_dir)
    periods = data_dir / SAVINGS_PERIODS
    counts = {
        "service_areas": load_service_areas(session, data_dir / "service_areas.csv"),
        "councils": load_councils(session, data_dir / "councils.csv"),
        "neighbours": load_neighbours(session, data_dir / "neighbours.csv"),
        "arrangements": load_arrangements(
            session, data_dir / "arrangements.csv", actor="bundled", periods=periods if periods.exists() else None
        ),
    }
    result = BundledLoad(counts)
    if demo:
        result.demo_accounts = load_demo(session, demo_password)
    return result
