"""Checks on the real reference data, each stated fact checkable in the CSV files."""

from pathlib import Path

import pytest

from matchmaker.core.csv_dataset import load_directory
from matchmaker.core.recommend import Engine

REFERENCE = Path(__file__).resolve().parents[2] / "data"

ADUR, WORTHING, FOREST_HEATH, WEST_SUFFOLK = "E07000223", "E07000229", "E07000201", "E07000245"


@pytest.fixture(scope="module")
def engine():
    return Engine(load_directory(REFERENCE))


def test_reference_counts(engine):
    assert len(engine.dataset.organisations) == 365
    assert len(engine.dataset.service_areas) == 15
    assert sum(engine.snapshot(2025).exists) == 317


def test_adur_and_worthing_share_revenues_so_worthing_is_excluded_there_but_suggested_for_legal(engine):
    # arrangements_known.csv R004: Adur and Worthing share revenues and benefits (among others) since 2007
    revenues = [c for c, _ in engine.top_codes(ADUR, "revenues-benefits", top=400, as_of=2025)]
    legal = [c for c, _ in engine.top_codes(ADUR, "legal-democratic", top=3, as_of=2025)]
    assert WORTHING not in revenues and WORTHING in legal


def test_abolished_forest_heath_is_suggested_only_while_it_existed(engine):
    today = [c for c, _ in engine.top_codes(WEST_SUFFOLK, "legal-democratic", top=400, as_of=2025)]
    then = [c for c, _ in engine.top_codes("E07000204", "legal-democratic", top=400, as_of=2015)]
    assert FOREST_HEATH not in today and FOREST_HEATH in then
