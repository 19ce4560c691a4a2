"""As-of rules for arrangements with unknown start or end years, on a small hand-built grid.

The records describe PRESENT (2025). Council 14 asks; its partners are:
  E1 with 15: legal, 2012 to unknown end (ended)      E2 with 20: legal, unknown start and end (ended)
  U1 with 13: legal, unknown start (operational)      D1 with 8: ict, ended 2016 (known end)
"""

import numpy as np

from matchmaker.core.features import FEATURE_POS, query_features
from matchmaker.core.graph import OrgIndex, Snapshot
from matchmaker.core.recommend import Engine
from matchmaker.core.training_examples import SnapshotCache, formation_queries
from matchmaker.core.types import Arrangement, Membership
from tests.support import worlds

PRESENT = 2025


def as_of_world():
    return worlds.grid_world(
        [
            worlds.arrangement("E1", [14, 15], ("legal-democratic",), 2012, None, "ended"),
            worlds.arrangement("E2", [14, 20], ("legal-democratic",), None, None, "ended"),
            worlds.arrangement("U1", [14, 13], ("legal-democratic",), None),
            worlds.arrangement("D1", [14, 8], ("ict-digital",), 2010, 2016, "ended"),
        ]
    )


def past_ended(year: int) -> dict[int, float]:
    snap = Snapshot(OrgIndex(as_of_world(), present=PRESENT), year)
    council, others = 14, np.array([15, 20, 13, 8])
    block = query_features(snap, council, others, "legal-democratic")
    return dict(zip(others.tolist(), block.X[:, FEATURE_POS["past_ended"]].tolist()))


def test_ended_arrangement_with_unknown_end_is_not_a_past_partnership_before_it_started():
    assert past_ended(2011)[15] == 0.0
    assert past_ended(2012)[15] == 0.0  # the year it started: not over yet
    assert past_ended(2015)[15] == 1.0


def test_ended_arrangement_with_unknown_start_and_end_counts_only_at_present():
    assert past_ended(2015)[20] == 0.0  # a back-test year: not counted at all
    assert past_ended(PRESENT)[20] == 1.0


def test_known_end_year_decides():
    assert past_ended(2015)[8] == 0.0 and past_ended(2016)[8] == 1.0


def test_ended_arrangement_with_unknown_end_is_never_counted_as_running():
    arr = Arrangement("E", "E", ("legal-democratic",), (Membership("a"), Membership("b")), "ended", 2012, None)
    assert not any(arr.active_in(year, PRESENT) for year in range(2005, 2030))
    assert [arr.ended_by(year, PRESENT) for year in (2011, 2012, 2013)] == [False, False, True]


def test_arrangement_with_unknown_start_is_in_the_graph_only_from_the_present():
    engine = Engine(as_of_world(), present=PRESENT)
    index = engine.index
    past = engine.snapshot(2015)
    assert "U1" not in {a.id for a in past.arrangements}
    assert index.pos[worlds.code(13)] in past.candidates(index.pos[worlds.code(14)], "legal-democratic")
    now = engine.snapshot()
    assert now.year == PRESENT and "U1" in {a.id for a in now.arrangements}
    assert index.pos[worlds.code(13)] not in now.candidates(index.pos[worlds.code(14)], "legal-democratic")


def test_partners_through_an_undated_arrangement_are_left_out_of_back_test_positives():
    dataset = worlds.grid_world(
        [
            worlds.arrangement("U1", [14, 13], ("legal-democratic",), None),
            worlds.arrangement("N1", [14, 13, 15], ("legal-democratic",), 2014),
        ]
    )
    cache = SnapshotCache(OrgIndex(dataset, present=PRESENT))
    index = cache.index
    query = next(
        q for q in formation_queries(cache) if q.arrangement_id == "N1" and q.council == index.pos[worlds.code(14)]
    )
    assert query.relevant == {index.pos[worlds.code(15)]}
    assert query.ambiguous == {index.pos[worlds.code(13)]}
    assert index.pos[worlds.code(13)] not in cache.candidates(query)  # neither positive nor negative
